package nl.lantaarn.notify.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import nl.lantaarn.runtime.api.HubHome;

/** One e-mail channel per configuration {@code etc/nl.lantaarn.notify.smtp-<name>.cfg}. */
@Component(configurationPid = SmtpChannelComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = SmtpChannelComponent.Config.class, factory = true)
public final class SmtpChannelComponent {

    static final String PID = "nl.lantaarn.notify.smtp";
    static final String KIND = "smtp";
    static final int MAX_PASSWORD_FILE = 4096;

    @ObjectClassDefinition(name = "Lantaarn e-mail notification channel",
            description = "Sends each alert as an e-mail over SMTP: subject = the alert's title, body = its JSON.")
    @interface Config {

        @AttributeDefinition(name = "SMTP host")
        String host();

        @AttributeDefinition(name = "SMTP port", min = "1", max = "65535")
        int port() default 587;

        @AttributeDefinition(name = "From", description = "Sender address.")
        String from();

        @AttributeDefinition(name = "To", description = "Recipient addresses, comma-separated.")
        String[] to();

        @AttributeDefinition(name = "User name", required = false)
        String username() default "";

        @AttributeDefinition(name = "Password file", required = false, description = "File holding the SMTP"
                + " password, relative to the hub's home (e.g. data/secrets/smtp.password).")
        String passwordFile() default "";

        @AttributeDefinition(name = "STARTTLS", description = "Require STARTTLS before authenticating and sending.")
        boolean startTls() default true;

        @AttributeDefinition(name = "Name", required = false, description = "Channel name when the file name has"
                + " none (nl.lantaarn.notify.smtp-<name>.cfg).")
        String name() default "";

        @AttributeDefinition(name = "Timeout (s)", min = "1", max = "600")
        int timeoutSeconds() default 30;

        @AttributeDefinition(name = "Attempts per alert", min = "1", max = "100")
        int maxAttempts() default 5;

        @AttributeDefinition(name = "First retry after (ms)", min = "1")
        long backoffInitialMillis() default 5000;

        @AttributeDefinition(name = "Longest wait between retries (ms)", min = "1")
        long backoffMaxMillis() default 300_000;

        @AttributeDefinition(name = "Failures that open the circuit breaker", min = "1")
        int breakerFailures() default 5;

        @AttributeDefinition(name = "Circuit breaker cool-down (s)", min = "1")
        int breakerCoolDownSeconds() default 300;

        @AttributeDefinition(name = "Queue capacity", min = "1", max = "1000000")
        int queueCapacity() default 10_000;
    }

    private final Path home;
    private final ConfiguredChannel<Config> channel;

    @Activate
    public SmtpChannelComponent(@Reference ChannelRegistry registry, Config config, Map<String, Object> properties,
            BundleContext context) {
        this(registry, config, properties, HubHome.of(context));
    }

    SmtpChannelComponent(ChannelRegistry registry, Config config, Map<String, Object> properties, Path home) {
        this.home = home;
        channel = new ConfiguredChannel<>(registry, PID, KIND, this::delivery, SmtpChannelComponent::settings);
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
        List<String> to = config.to() == null ? List.of() : Arrays.stream(config.to())
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .toList();
        return new SmtpDelivery(config.host(), config.port(), config.from(), to, config.username(),
                password(config.passwordFile()), config.startTls(), Duration.ofSeconds(config.timeoutSeconds()));
    }

    private char[] password(String passwordFile) {
        if (passwordFile == null || passwordFile.isBlank()) {
            return null;
        }
        Path file = home.resolve(passwordFile.trim());
        try {
            if (Files.size(file) > MAX_PASSWORD_FILE) {
                throw new IllegalArgumentException("smtp passwordFile " + file + " is larger than "
                        + MAX_PASSWORD_FILE + " bytes; it must hold only the password");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.toCharArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("smtp passwordFile " + file + " cannot be read (" + e
                    + "); write the password to that file, relative to the hub's home");
        }
    }

    static ChannelSettings settings(Config config) {
        return ChannelSettings.of(config.queueCapacity(), config.maxAttempts(), config.backoffInitialMillis(),
                config.backoffMaxMillis(), config.breakerFailures(), config.breakerCoolDownSeconds() * 1000L);
    }
}
