package nl.lantaarn.notify.internal;

import static nl.lantaarn.notify.internal.TestSupport.alert;
import static nl.lantaarn.notify.internal.TestSupport.config;
import static nl.lantaarn.notify.internal.TestSupport.fileProperties;
import static nl.lantaarn.notify.internal.TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import nl.lantaarn.notify.api.Alert;

class SmtpChannelTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("hub@lantaarn.test", "hub", "s3cret"))
            .withPerMethodLifecycle(true);

    @TempDir
    Path home;

    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    private final NotificationServiceImpl service = new NotificationServiceImpl(deadLetters);

    @AfterEach
    void tearDown() {
        service.deactivate();
    }

    private void channel(String name, Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(Map.of("host", "127.0.0.1", "port", MAIL.getSmtp().getPort(),
                "from", "Lantaarn <hub@lantaarn.test>", "to", new String[] {"ops@city.test, police@city.test"},
                "startTls", false, "backoffInitialMillis", 20L, "backoffMaxMillis", 100L));
        values.putAll(settings);
        new SmtpChannelComponent(service, config(SmtpChannelComponent.Config.class, values),
                fileProperties(SmtpChannelComponent.PID, name), home);
    }

    @Test
    void deliversMailWithTitleAsSubjectAndJsonAsBody() throws Exception {
        channel("ops-mail", Map.of());
        Alert alert = alert("Crowd density high at Markt — 4.2 p/m²");

        service.send(alert, List.of("ops-mail"));

        await().atMost(DEADLINE).until(() -> MAIL.getReceivedMessages().length == 2);
        MimeMessage message = MAIL.getReceivedMessages()[0];
        assertThat(message.getSubject()).isEqualTo(alert.title());
        assertThat(message.getFrom()[0].toString()).contains("hub@lantaarn.test");
        assertThat(message.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("ops@city.test", "police@city.test");
        assertThat(message.getHeader("X-Lantaarn-Alert-Id")[0]).isEqualTo(alert.id());
        String body = ((String) message.getContent()).trim();
        assertThat(JsonFactory.newObject(body).getValue("id").orElseThrow().asString()).isEqualTo(alert.id());
        await().atMost(DEADLINE).until(() -> status(service, "ops-mail").delivered() == 1);
    }

    @Test
    void authenticatesWithPasswordFromFile() throws Exception {
        Files.createDirectories(home.resolve("data/secrets"));
        Files.writeString(home.resolve("data/secrets/smtp.password"), "s3cret\n");
        channel("auth-mail", Map.of("username", "hub", "passwordFile", "data/secrets/smtp.password"));

        service.send(alert("with auth"), List.of("auth-mail"));

        await().atMost(DEADLINE).until(() -> status(service, "auth-mail").delivered() == 1);
        assertThat(MAIL.getReceivedMessages()).hasSize(2);
    }

    @Test
    void wrongPasswordEndsAsDeadLetter() throws Exception {
        Files.writeString(home.resolve("wrong.password"), "not-it");
        channel("bad-mail", Map.of("username", "hub", "passwordFile", "wrong.password", "maxAttempts", 2));

        service.send(alert("never sent"), List.of("bad-mail"));

        await().atMost(DEADLINE).until(() -> deadLetters.letters.size() == 1);
        assertThat(deadLetters.letters.get(0).source()).isEqualTo("notify:bad-mail");
        assertThat(deadLetters.letters.get(0).reason()).contains("gave up after 2 attempts")
                .containsIgnoringCase("auth");
        assertThat(deadLetters.letters.get(0).reason()).doesNotContain("not-it");
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void missingPasswordFileIsExplained() {
        assertThatThrownBy(() -> channel("x", Map.of("username", "hub", "passwordFile", "nope.password")))
                .hasMessageContaining("passwordFile").hasMessageContaining("nope.password");
        assertThatThrownBy(() -> channel("y", Map.of("to", new String[] {"not an address"})))
                .hasMessageContaining("is not an e-mail address");
    }
}
