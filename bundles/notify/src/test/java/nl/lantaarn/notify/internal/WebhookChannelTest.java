package nl.lantaarn.notify.internal;

import static nl.lantaarn.notify.internal.TestSupport.alert;
import static nl.lantaarn.notify.internal.TestSupport.config;
import static nl.lantaarn.notify.internal.TestSupport.fileProperties;
import static nl.lantaarn.notify.internal.TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.notify.api.Alert;
import nl.lantaarn.notify.api.UnknownChannelException;

class WebhookChannelTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String SECRET = "correct horse battery staple";

    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    private final NotificationServiceImpl service = new NotificationServiceImpl(deadLetters);
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        service.deactivate();
        for (AutoCloseable closeable : closeLater) {
            closeable.close();
        }
    }

    private WebhookTarget target(java.util.function.ToIntFunction<WebhookTarget.Request> answer) throws Exception {
        WebhookTarget target = new WebhookTarget(answer);
        closeLater.add(0, target);
        return target;
    }

    /**
     * A target that answers 200 once {@code release} is counted down (at the latest when the test ends), after
     * {@code onRequest} saw the request.
     */
    private WebhookTarget hangingUntil(CountDownLatch release, Consumer<WebhookTarget.Request> onRequest)
            throws Exception {
        WebhookTarget target = target(request -> {
            onRequest.accept(request);
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        });
        closeLater.add(0, release::countDown);
        return target;
    }

    /** A target that answers 200 only when the test ends. */
    private WebhookTarget hanging() throws Exception {
        return hangingUntil(new CountDownLatch(1), request -> { });
    }

    private WebhookChannelComponent channel(String name, WebhookTarget target, Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(Map.of("url", target.url(), "secret", SECRET,
                "backoffInitialMillis", 20L, "backoffMaxMillis", 100L));
        values.putAll(settings);
        return new WebhookChannelComponent(service, config(WebhookChannelComponent.Config.class, values),
                fileProperties(WebhookChannelComponent.PID, name));
    }

    @Test
    void receiverCanVerifySignatureAndReadAlert() throws Exception {
        WebhookTarget police = target(request -> 204);
        channel("police", police, Map.of());
        Alert alert = alert("Aggression sound at Stratumseind");

        service.send(alert, List.of("police"));

        await().atMost(DEADLINE).until(() -> police.requests.size() == 1);
        WebhookTarget.Request request = police.requests.get(0);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body()
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(request.header("X-Lantaarn-Signature")).isEqualTo(expected);
        assertThat(request.header("X-Lantaarn-Alert-Id")).isEqualTo(alert.id());
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonObject json = JsonFactory.newObject(request.body());
        assertThat(json.getValue("id").orElseThrow().asString()).isEqualTo(alert.id());
        assertThat(json.getValue("title").orElseThrow().asString()).isEqualTo(alert.title());
        assertThat(json.getValue("body/laeq").orElseThrow().asDouble()).isEqualTo(78.5);
        await().atMost(DEADLINE).until(() -> status(service, "police").delivered() == 1);
        assertThat(status(service, "police").state()).isEqualTo("UP");
    }

    @Test
    void tamperedBodyDoesNotVerify() throws Exception {
        WebhookDelivery delivery = new WebhookDelivery("http://127.0.0.1:9/hook", SECRET, Duration.ofSeconds(1));
        byte[] body = AlertJson.toBytes(alert("a"));
        String signature = delivery.sign(body);
        body[body.length - 2] ^= 1;
        assertThat(delivery.sign(body)).isNotEqualTo(signature);
    }

    @Test
    void retriesThenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WebhookTarget flaky = target(request -> calls.incrementAndGet() <= 2 ? 503 : 200);
        channel("flaky", flaky, Map.of("maxAttempts", 5));

        service.send(alert("x"), List.of("flaky"));

        await().atMost(DEADLINE).until(() -> status(service, "flaky").delivered() == 1);
        assertThat(flaky.requests).hasSize(3);
        assertThat(status(service, "flaky").retried()).isEqualTo(2);
        assertThat(status(service, "flaky").failed()).isZero();
        assertThat(deadLetters.letters).isEmpty();
        // every attempt is the same alert, so the receiver can drop duplicates by id
        assertThat(flaky.requests).extracting(r -> r.header("X-Lantaarn-Alert-Id")).containsOnly(
                flaky.requests.get(0).header("X-Lantaarn-Alert-Id"));
    }

    @Test
    void exhaustedRetriesBecomeDeadLetterWithReason() throws Exception {
        WebhookTarget broken = target(request -> 500);
        channel("broken", broken, Map.of("maxAttempts", 3, "breakerFailures", 10));
        Alert alert = alert("x");

        service.send(alert, List.of("broken"));

        await().atMost(DEADLINE).until(() -> deadLetters.letters.size() == 1);
        DeadLetter letter = deadLetters.letters.get(0);
        assertThat(letter.source()).isEqualTo("notify:broken");
        assertThat(letter.reason()).contains("gave up after 3 attempts").contains("HTTP 500");
        // the origin is the target without the query, which may hold a token
        assertThat(letter.origin()).startsWith("http://127.0.0.1:").endsWith("/hook");
        assertThat(JsonFactory.newObject(letter.payloadAsString()).getValue("id").orElseThrow().asString())
                .isEqualTo(alert.id());
        assertThat(broken.requests).hasSize(3);
        assertThat(status(service, "broken").failed()).isEqualTo(1);
        assertThat(status(service, "broken").state()).isEqualTo("DEGRADED");
    }

    @Test
    void refusedAlertIsNotRetried() throws Exception {
        WebhookTarget strict = target(request -> 422);
        channel("strict", strict, Map.of("maxAttempts", 5));

        service.send(alert("x"), List.of("strict"));

        await().atMost(DEADLINE).until(() -> deadLetters.letters.size() == 1);
        assertThat(deadLetters.letters.get(0).reason()).contains("refused").contains("HTTP 422");
        assertThat(strict.requests).hasSize(1);
    }

    @Test
    void breakerOpensAndRecovers() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        WebhookTarget target = target(request -> failing.get() ? 503 : 200);
        channel("partner", target, Map.of("maxAttempts", 50, "breakerFailures", 2, "breakerCoolDownSeconds", 1));

        service.send(alert("first"), List.of("partner"));
        service.send(alert("second"), List.of("partner"));

        await().atMost(DEADLINE).until(() -> status(service, "partner").state().equals("OPEN"));
        assertThat(status(service, "partner").reason()).contains("circuit breaker open").contains("HTTP 503");
        assertThat(service.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(service.health().detail()).contains("partner");
        assertThat(status(service, "partner").queued()).isEqualTo(1);
        int whileOpen = target.requests.size();

        failing.set(false);

        await().atMost(DEADLINE).until(() -> status(service, "partner").delivered() == 2);
        assertThat(status(service, "partner").state()).isEqualTo("UP");
        assertThat(service.health().status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(target.requests.size()).isGreaterThan(whileOpen);
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void hangingTargetHoldsUpNoOtherTarget() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        WebhookTarget hanging = hangingUntil(release, request -> events.add("hang:"
                + request.header("X-Lantaarn-Alert-Id")));
        WebhookTarget a = target(request -> {
            events.add("a:" + request.header("X-Lantaarn-Alert-Id"));
            return 200;
        });
        WebhookTarget b = target(request -> {
            events.add("b:" + request.header("X-Lantaarn-Alert-Id"));
            return 200;
        });
        channel("hanging", hanging, Map.of("timeoutSeconds", 120));
        channel("a", a, Map.of());
        channel("b", b, Map.of());
        int count = 20;

        for (int i = 0; i < count; i++) {
            service.send(alert("alert " + i), List.of("hanging", "a", "b"));
        }

        await().atMost(DEADLINE).until(() -> a.requests.size() == count && b.requests.size() == count);
        await().atMost(DEADLINE).until(() -> hanging.requests.size() == 1);
        events.add("released");
        release.countDown();
        await().atMost(DEADLINE).until(() -> status(service, "hanging").delivered() == count);

        int released = events.indexOf("released");
        assertThat(events.subList(0, released)).filteredOn(e -> e.startsWith("a:")).hasSize(count);
        assertThat(events.subList(0, released)).filteredOn(e -> e.startsWith("b:")).hasSize(count);
        assertThat(events.subList(0, released)).filteredOn(e -> e.startsWith("hang:")).hasSize(1);
        assertThat(hanging.requests).hasSize(count);
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void fullQueueMakesDeadLetterAtOnce() throws Exception {
        WebhookTarget hanging = hanging();
        channel("slow", hanging, Map.of("queueCapacity", 1, "timeoutSeconds", 120));

        service.send(alert("in flight"), List.of("slow"));
        await().atMost(DEADLINE).until(() -> hanging.requests.size() == 1);
        service.send(alert("queued"), List.of("slow"));
        Alert overflow = alert("overflow");
        service.send(overflow, List.of("slow"));

        assertThat(deadLetters.letters).hasSize(1);
        assertThat(deadLetters.letters.get(0).reason()).contains("queue of channel 'slow' is full");
        assertThat(deadLetters.letters.get(0).payloadAsString()).contains(overflow.id());
        assertThat(status(service, "slow").queued()).isEqualTo(1);
        assertThat(status(service, "slow").failed()).isEqualTo(1);
    }

    @Test
    void unknownChannelQueuesNothing() throws Exception {
        WebhookTarget known = target(request -> 200);
        channel("known", known, Map.of());

        assertThatThrownBy(() -> service.send(alert("x"), List.of("known", "nope")))
                .isInstanceOf(UnknownChannelException.class)
                .hasMessageContaining("'nope'").hasMessageContaining("[known]");

        service.send(alert("y"), List.of("known"));
        await().atMost(DEADLINE).until(() -> status(service, "known").delivered() == 1);
        assertThat(known.requests).hasSize(1);
    }

    @Test
    void removedChannelDeadLettersWhatItHeld() throws Exception {
        WebhookTarget hanging = hanging();
        WebhookChannelComponent component = channel("gone", hanging, Map.of("timeoutSeconds", 120));
        service.send(alert("in flight"), List.of("gone"));
        await().atMost(DEADLINE).until(() -> hanging.requests.size() == 1);
        service.send(alert("waiting"), List.of("gone"));

        component.deactivate(ChannelRegistry.CONFIGURATION_DELETED);

        await().atMost(DEADLINE).until(() -> deadLetters.letters.size() == 2);
        assertThat(deadLetters.letters).allSatisfy(l -> assertThat(l.reason()).contains("'gone'"));
        assertThat(service.channels()).isEmpty();
        assertThatThrownBy(() -> service.send(alert("z"), List.of("gone")))
                .isInstanceOf(UnknownChannelException.class);
    }

    @Test
    void reconfiguredChannelTakesItsAlertsAlong() throws Exception {
        WebhookTarget hanging = hanging();
        WebhookTarget replacement = target(request -> 200);
        WebhookChannelComponent component = channel("moving", hanging, Map.of("timeoutSeconds", 120));
        Alert inFlight = alert("in flight");
        Alert waiting = alert("waiting");
        service.send(inFlight, List.of("moving"));
        await().atMost(DEADLINE).until(() -> hanging.requests.size() == 1);
        service.send(waiting, List.of("moving"));

        component.modified(config(WebhookChannelComponent.Config.class, Map.of("url", replacement.url(), "secret",
                SECRET)), fileProperties(WebhookChannelComponent.PID, "moving"));

        await().atMost(DEADLINE).until(() -> replacement.requests.size() == 2);
        assertThat(replacement.requests).extracting(r -> r.header("X-Lantaarn-Alert-Id"))
                .containsExactlyInAnyOrder(inFlight.id(), waiting.id());
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void duplicateNameIsRefusedWithBothFiles() throws Exception {
        WebhookTarget target = target(request -> 200);
        channel("police", target, Map.of());

        assertThatThrownBy(() -> channel("police", target, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'police'").hasMessageContaining("unique");
    }

    @Test
    void badUrlAndMissingSecretAreExplained() throws Exception {
        WebhookTarget target = target(request -> 200);
        assertThatThrownBy(() -> channel("x", target, Map.of("url", "ftp://example.org/x")))
                .hasMessageContaining("http(s)://host");
        assertThatThrownBy(() -> channel("y", target, Map.of("secret", "")))
                .hasMessageContaining("secret is empty");
        assertThat(service.channels()).isEmpty();
    }
}
