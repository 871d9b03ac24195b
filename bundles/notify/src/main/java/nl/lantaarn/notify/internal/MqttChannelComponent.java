package nl.lantaarn.notify.internal;

import java.time.Duration;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import nl.lantaarn.mqtt.api.MqttConnection;

/** One MQTT channel per configuration {@code etc/nl.lantaarn.notify.mqtt-<name>.cfg}. */
@Component(configurationPid = MqttChannelComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = MqttChannelComponent.Config.class, factory = true)
public final class MqttChannelComponent {

    static final String PID = "nl.lantaarn.notify.mqtt";
    static final String KIND = "mqtt";

    @ObjectClassDefinition(name = "Lantaarn MQTT notification channel",
            description = "Publishes each alert as JSON over the hub's MQTT connection (northbound).")
    @interface Config {

        @AttributeDefinition(name = "Topic", description = "May contain {severity} and {source}, e.g."
                + " lantaarn/alerts/{severity}.")
        String topic();

        @AttributeDefinition(name = "QoS", min = "0", max = "2")
        int qos() default 1;

        @AttributeDefinition(name = "Retain")
        boolean retain() default false;

        @AttributeDefinition(name = "Name", required = false, description = "Channel name when the file name has"
                + " none (nl.lantaarn.notify.mqtt-<name>.cfg).")
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

    // optional and dynamic: while the hub's connection is away, alerts wait in the queue
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MqttConnection mqtt;

    @Activate
    public MqttChannelComponent(@Reference ChannelRegistry registry, Config config, Map<String, Object> properties) {
        channel = new ConfiguredChannel<>(registry, PID, KIND, this::delivery, MqttChannelComponent::settings);
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

    private Delivery delivery(Config config) {
        return new MqttDelivery(config.topic(), config.qos(), config.retain(),
                Duration.ofSeconds(config.timeoutSeconds()), () -> mqtt);
    }

    static ChannelSettings settings(Config config) {
        return ChannelSettings.of(config.queueCapacity(), config.maxAttempts(), config.backoffInitialMillis(),
                config.backoffMaxMillis(), config.breakerFailures(), config.breakerCoolDownSeconds() * 1000L);
    }
}
