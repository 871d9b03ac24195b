package nl.lantaarn.notify.internal;

import static nl.lantaarn.notify.internal.TestSupport.config;
import static nl.lantaarn.notify.internal.TestSupport.fileProperties;
import static nl.lantaarn.notify.internal.TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong channel configuration is refused with a message naming the field and the file to fix. */
class ChannelConfigErrorsTest {

    @TempDir
    Path home;

    private final NotificationServiceImpl service = new NotificationServiceImpl(new RecordingDeadLetters());

    @AfterEach
    void tearDown() {
        service.deactivate();
    }

    @Test
    void webhookFieldsAndFile() {
        String file = WebhookChannelComponent.PID + "-police.cfg";
        assertThatThrownBy(() -> webhook(Map.of("url", "ftp://example.org/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url").hasMessageContaining(file);
        assertThatThrownBy(() -> webhook(Map.of("secret", ""))).hasMessageContaining("secret")
                .hasMessageContaining(file);
        assertThatThrownBy(() -> webhook(Map.of("queueCapacity", 0))).hasMessageContaining("queueCapacity")
                .hasMessageContaining(file);
        assertThatThrownBy(() -> webhook(Map.of("backoffMaxMillis", 1L))).hasMessageContaining("backoffMaxMillis")
                .hasMessageContaining(file);
        assertThat(service.channels()).isEmpty();
    }

    @Test
    void wrongChangeNamesFieldAndFileAndLeavesTheChannelOpen() {
        WebhookChannelComponent component = webhook(Map.of());
        Map<String, Object> values = webhookValues(Map.of("maxAttempts", 0));
        assertThatThrownBy(() -> component.modified(config(WebhookChannelComponent.Config.class, values),
                fileProperties(WebhookChannelComponent.PID, "police")))
                .hasMessageContaining("maxAttempts").hasMessageContaining(WebhookChannelComponent.PID + "-police.cfg");
        assertThat(status(service, "police").state()).isEqualTo("UP");
    }

    @Test
    void mqttFieldsAndFile() {
        String file = MqttChannelComponent.PID + "-northbound.cfg";
        assertThatThrownBy(() -> mqtt(Map.of("topic", "alerts/#"))).hasMessageContaining("topic")
                .hasMessageContaining(file);
        assertThatThrownBy(() -> mqtt(Map.of("topic", "alerts", "qos", 3))).hasMessageContaining("qos")
                .hasMessageContaining(file);
        assertThatThrownBy(() -> mqtt(Map.of("topic", "alerts", "breakerFailures", 0)))
                .hasMessageContaining("breakerFailures").hasMessageContaining(file);
        assertThat(service.channels()).isEmpty();
    }

    @Test
    void smtpFieldsAndFile() {
        String file = SmtpChannelComponent.PID + "-ops.cfg";
        assertThatThrownBy(() -> smtp(Map.of("host", " "))).hasMessageContaining("host").hasMessageContaining(file);
        assertThatThrownBy(() -> smtp(Map.of("from", "not an address"))).hasMessageContaining("from")
                .hasMessageContaining(file);
        assertThatThrownBy(() -> smtp(Map.of("passwordFile", "missing.password")))
                .hasMessageContaining("passwordFile").hasMessageContaining(file);
        assertThatThrownBy(() -> smtp(Map.of("timeoutSeconds", 0))).hasMessageContaining("timeoutSeconds")
                .hasMessageContaining(file);
        assertThat(service.channels()).isEmpty();
    }

    private static Map<String, Object> webhookValues(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of("url", "http://127.0.0.1:9/hook", "secret", "s"));
        values.putAll(overrides);
        return values;
    }

    private WebhookChannelComponent webhook(Map<String, Object> overrides) {
        return new WebhookChannelComponent(service, config(WebhookChannelComponent.Config.class,
                webhookValues(overrides)), fileProperties(WebhookChannelComponent.PID, "police"));
    }

    private void mqtt(Map<String, Object> values) {
        new MqttChannelComponent(service, config(MqttChannelComponent.Config.class, values),
                fileProperties(MqttChannelComponent.PID, "northbound"));
    }

    private void smtp(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of("host", "127.0.0.1", "from", "hub@lantaarn.test",
                "to", new String[] {"ops@city.test"}));
        values.putAll(overrides);
        new SmtpChannelComponent(service, config(SmtpChannelComponent.Config.class, values),
                fileProperties(SmtpChannelComponent.PID, "ops"), home);
    }
}
