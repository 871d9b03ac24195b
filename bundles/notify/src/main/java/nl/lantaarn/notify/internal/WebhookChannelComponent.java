package nl.lantaarn.notify.internal;

import java.time.Duration;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One webhook channel per configuration {@code etc/nl.lantaarn.notify.webhook-<name>.cfg}. */
// no service: DS would publish the configuration, the secret included, as service properties
@Component(configurationPid = WebhookChannelComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = WebhookChannelComponent.Config.class, factory = true)
public final class WebhookChannelComponent {

    static final String PID = "nl.lantaarn.notify.webhook";
    static final String KIND = "webhook";

    @ObjectClassDefinition(name = "Lantaarn webhook notification channel",
            description = "HTTP POST of each alert as JSON, signed with HMAC-SHA256.")
    @interface Config {

        @AttributeDefinition(name = "URL", description = "http(s)://host[:port]/path of the receiver.")
        String url();

        @AttributeDefinition(name = "Secret", type = AttributeType.PASSWORD, description = "HMAC-SHA256 key; the"
                + " receiver checks X-Lantaarn-Signature: sha256=<hex> against the body.")
        String secret();

        @AttributeDefinition(name = "Name", required = false, description = "Channel name when the file name has"
                + " none (nl.lantaarn.notify.webhook-<name>.cfg).")
        String name() default "";

        @AttributeDefinition(name = "Timeout (s)", min = "1", max = "600")
        int timeoutSeconds() default 10;

        @AttributeDefinition(name = "Attempts per alert", min = "1", max = "100")
        int maxAttempts() default 5;

        @AttributeDefinition(name = "First retry after (ms)", min = "1")
        long backoffInitialMillis() default 1000;

        @AttributeDefinition(name = "Longest wait between retries (ms)", min = "1")
        long backoffMaxMillis() default 60_000;

        @AttributeDefinition(name = "Failures that open the circuit breaker", min = "1")
        int breakerFailures() default 5;

        @AttributeDefinition(name = "Circuit breaker cool-down (s)", min = "1")
        int breakerCoolDownSeconds() default 60;

        @AttributeDefinition(name = "Queue capacity", min = "1", max = "1000000")
        int queueCapacity() default 10_000;
    }

    private final ConfiguredChannel<Config> channel;

    @Activate
    public WebhookChannelComponent(@Reference ChannelRegistry registry, Config config, Map<String, Object> properties) {
        channel = new ConfiguredChannel<>(registry, PID, KIND, WebhookChannelComponent::delivery,
                WebhookChannelComponent::settings);
        channel.open(config, properties);
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        channel.modified(config, properties);
    }

    @Deactivate
    void deactivate(int reason) {
        channel.deactivated(reason);
    }

    static Delivery delivery(Config config) {
        return new WebhookDelivery(config.url(), config.secret(), Duration.ofSeconds(config.timeoutSeconds()));
    }

    static ChannelSettings settings(Config config) {
        return ChannelSettings.of(config.queueCapacity(), config.maxAttempts(), config.backoffInitialMillis(),
                config.backoffMaxMillis(), config.breakerFailures(), config.breakerCoolDownSeconds() * 1000L);
    }
}
