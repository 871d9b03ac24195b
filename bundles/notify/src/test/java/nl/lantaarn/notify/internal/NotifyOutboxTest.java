package nl.lantaarn.notify.internal;

import static nl.lantaarn.notify.internal.TestSupport.alert;
import static nl.lantaarn.notify.internal.TestSupport.config;
import static nl.lantaarn.notify.internal.TestSupport.fileProperties;
import static nl.lantaarn.notify.internal.TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.notify.api.Alert;

/**
 * Alerts a channel accepted survive a stop of the notification service in its outbox and are sent after the next
 * start; a removed channel configuration turns them into dead letters instead. (The kill -9 case: the itests'
 * DeliveryAfterCrashIT.)
 */
class NotifyOutboxTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int DS_BUNDLE_STOPPED = 6;

    @TempDir
    Path home;

    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final List<NotificationServiceImpl> services = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (NotificationServiceImpl service : services) {
            service.deactivate();
        }
        for (AutoCloseable closeable : closeLater) {
            closeable.close();
        }
    }

    private NotificationServiceImpl service() {
        NotificationServiceImpl service = new NotificationServiceImpl(deadLetters,
                home.resolve(NotificationServiceImpl.OUTBOX_FILE));
        services.add(service);
        return service;
    }

    private void stop(NotificationServiceImpl service, WebhookChannelComponent... channels) {
        for (WebhookChannelComponent channel : channels) {
            channel.deactivate(DS_BUNDLE_STOPPED);
        }
        service.deactivate();
        services.remove(service);
    }

    private WebhookTarget target(java.util.function.ToIntFunction<WebhookTarget.Request> answer) throws Exception {
        WebhookTarget target = new WebhookTarget(answer);
        closeLater.add(0, target);
        return target;
    }

    private static WebhookChannelComponent channel(NotificationServiceImpl service, String name,
            WebhookTarget target) {
        Map<String, Object> values = new HashMap<>(Map.of("url", target.url(), "secret", "s",
                "backoffInitialMillis", 20L, "backoffMaxMillis", 50L, "maxAttempts", 100, "breakerFailures", 1000));
        return new WebhookChannelComponent(service, config(WebhookChannelComponent.Config.class, values),
                fileProperties(WebhookChannelComponent.PID, name));
    }

    /** Sends one alert per title to the channel, in that order; returns them. */
    private static List<Alert> send(NotificationServiceImpl service, String channel, String... titles) {
        List<Alert> sent = new ArrayList<>();
        for (String title : titles) {
            Alert alert = alert(title);
            service.send(alert, List.of(channel));
            sent.add(alert);
        }
        return sent;
    }

    @Test
    void alertsWaitingAtAStopAreSentAfterTheNextStartInOrder() throws Exception {
        WebhookTarget refusing = target(request -> 503);
        NotificationServiceImpl first = service();
        WebhookChannelComponent police = channel(first, "police", refusing);
        List<Alert> sent = send(first, "police", "alert 0", "alert 1", "alert 2", "alert 3", "alert 4");
        await().atMost(DEADLINE).until(() -> refusing.requests.size() >= 2);
        ComponentHealth health = first.health();
        assertThat(health.detail()).contains("outbox " + home.resolve(NotificationServiceImpl.OUTBOX_FILE))
                .contains("alerts waiting police=5");
        stop(first, police);
        assertThat(deadLetters.letters).as("a stop is no reason to give up").isEmpty();

        WebhookTarget accepting = target(request -> 204);
        NotificationServiceImpl second = service();
        // not configured yet: kept, and said so
        assertThat(second.health().detail()).contains("alerts kept for channels not configured (yet)")
                .contains("police=5");
        channel(second, "police", accepting);

        await().atMost(DEADLINE).until(() -> accepting.requests.size() >= 5);
        assertThat(accepting.requests).extracting(r -> r.header("X-Lantaarn-Alert-Id"))
                .containsExactlyElementsOf(sent.stream().map(Alert::id).toList());
        JsonObject json = JsonFactory.newObject(accepting.requests.get(0).body());
        assertThat(json.getValue("title").orElseThrow().asString()).isEqualTo("alert 0");
        assertThat(json.getValue("body/laeq").orElseThrow().asDouble()).isEqualTo(78.5);
        assertThat(accepting.requests.get(0).header("X-Lantaarn-Signature")).startsWith("sha256=");
        await().atMost(DEADLINE).until(() -> second.health().detail().contains(": empty"));
        assertThat(status(second, "police").delivered()).isEqualTo(5);
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void aRemovedChannelTurnsItsWaitingAlertsIntoDeadLettersAndTheOutboxForgetsThem() throws Exception {
        WebhookTarget refusing = target(request -> 503);
        NotificationServiceImpl first = service();
        WebhookChannelComponent gone = channel(first, "gone", refusing);
        send(first, "gone", "a", "b");
        gone.deactivate(ChannelRegistry.CONFIGURATION_DELETED);
        await().atMost(DEADLINE).until(() -> deadLetters.letters.size() == 2);
        stop(first);

        AtomicInteger calls = new AtomicInteger();
        WebhookTarget accepting = target(request -> {
            calls.incrementAndGet();
            return 204;
        });
        NotificationServiceImpl second = service();
        channel(second, "gone", accepting);
        assertThat(second.health().detail()).contains(": empty");
        second.send(alert("c"), List.of("gone"));
        await().atMost(DEADLINE).until(() -> calls.get() == 1);
        assertThat(JsonFactory.newObject(accepting.requests.get(0).body()).getValue("title").orElseThrow()
                .asString()).isEqualTo("c");
    }

    @Test
    void aReconfiguredChannelKeepsItsAlertsInTheOutbox() throws Exception {
        WebhookTarget refusing = target(request -> 503);
        NotificationServiceImpl first = service();
        WebhookChannelComponent ops = channel(first, "ops", refusing);
        send(first, "ops", "a", "b");
        WebhookTarget accepting = target(request -> 204);
        ops.modified(config(WebhookChannelComponent.Config.class, Map.of("url", accepting.url(), "secret", "s",
                "backoffInitialMillis", 20L, "backoffMaxMillis", 50L)), fileProperties(WebhookChannelComponent.PID,
                        "ops"));
        await().atMost(DEADLINE).until(() -> accepting.requests.size() >= 2);
        await().atMost(DEADLINE).until(() -> first.health().detail().contains(": empty"));
        assertThat(deadLetters.letters).isEmpty();
    }
}
