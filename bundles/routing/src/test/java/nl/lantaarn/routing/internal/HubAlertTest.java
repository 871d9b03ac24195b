package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.FluentProducerTemplate;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import nl.lantaarn.notify.api.Alert;
import nl.lantaarn.notify.api.ChannelStatus;
import nl.lantaarn.notify.api.NotificationService;
import nl.lantaarn.notify.api.UnknownChannelException;
import nl.lantaarn.routing.api.RouteStatus;
import nl.lantaarn.routing.internal.UndeliveredEventsTest.RecordingDeadLetters;

class HubAlertTest extends RoutingTestSupport {

    /** Records what it is asked to send; knows the channels police and ops. */
    static final class RecordingNotifications implements NotificationService {
        record Sent(Alert alert, List<String> channels) {
        }

        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(Alert alert, List<String> channels) {
            for (String channel : channels) {
                if (!List.of("police", "ops").contains(channel)) {
                    throw new UnknownChannelException(channel, List.of("ops", "police"));
                }
            }
            sent.add(new Sent(alert, channels));
        }

        @Override
        public List<ChannelStatus> channels() {
            return List.of();
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-21T23:14:05Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final RecordingNotifications notifications = new RecordingNotifications();
    private final TestClock clock = new TestClock();

    private static String alertRoute(String id, String from, String uri) {
        return """
                - route:
                    id: %s
                    from:
                      uri: %s
                      steps:
                        - to: "%s"
                """.formatted(id, from, uri) + METADATA;
    }

    private FluentProducerTemplate send(Object body, String thingId, String zone) {
        FluentProducerTemplate template = runtime.context().createFluentProducerTemplate().to("direct:loud")
                .withBody(body);
        if (thingId != null) {
            template.withHeader(HubHeaders.THING_ID, thingId);
        }
        if (zone != null) {
            template.withHeader("zone", zone);
        }
        return template;
    }

    @Test
    void sendsTheAlertBuiltFromTheExchangeAndSuppressesRepeatsWithinTheWindow() {
        write("alerts.yaml", alertRoute("loud", "direct:loud",
                "hub:alert?channels=police,ops&severity=critical&title=Too loud&dedupWindow=PT5M"));
        start(new HubServices(() -> notifications, () -> null, clock, new RouteCounters()), null);
        awaitStarted("loud");

        send(Map.of("laeq", 72.5), "nl.eindhoven.safety:stratumseind-12", "stratumseind").send();

        assertThat(notifications.sent).hasSize(1);
        Alert alert = notifications.sent.get(0).alert();
        assertThat(notifications.sent.get(0).channels()).containsExactly("police", "ops");
        assertThat(alert.source()).isEqualTo("route:loud");
        assertThat(alert.severity()).isEqualTo("critical");
        assertThat(alert.title()).isEqualTo("Too loud");
        assertThat(alert.thingId()).isEqualTo("nl.eindhoven.safety:stratumseind-12");
        assertThat(alert.zone()).isEqualTo("stratumseind");
        assertThat(JsonObject.of(alert.bodyJson()).getValue("laeq")).contains(JsonValue.of(72.5));
        assertThat(alert.occurredAt()).isEqualTo(clock.now);
        assertThat(alert.id()).isNotBlank();

        // the same thing and title again within five minutes: suppressed; another thing is not
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        send(Map.of("laeq", 75), "nl.eindhoven.safety:stratumseind-12", "stratumseind").send();
        send(Map.of("laeq", 75), "nl.eindhoven.safety:stratumseind-13", "stratumseind").send();
        assertThat(notifications.sent).extracting(s -> s.alert().thingId())
                .containsExactly("nl.eindhoven.safety:stratumseind-12", "nl.eindhoven.safety:stratumseind-13");

        // five minutes after the first alert it is sent again
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        send("{\"laeq\":76}", "nl.eindhoven.safety:stratumseind-12", null).send();
        assertThat(notifications.sent).hasSize(3);
        assertThat(notifications.sent.get(2).alert().zone()).isNull();
        assertThat(notifications.sent.get(2).alert().bodyJson()).isEqualTo("{\"laeq\":76}");

        RouteStatus status = status("loud");
        assertThat(status.suppressed()).isEqualTo(1);
        assertThat(status.in()).isEqualTo(4);
        assertThat(status.out()).isEqualTo(4);
        assertThat(status.failed()).isZero();
        assertThat(runtime.health().detail()).contains("loud (in 4, out 4, failed 0, dead-lettered 0, suppressed 1)");
    }

    @Test
    void zoneAlertsAreKeyedByZoneWhenThereIsNoThing() {
        write("alerts.yaml", alertRoute("loud", "direct:loud", "hub:alert?channels=ops&title=Crowded"));
        start(new HubServices(() -> notifications, () -> null, clock, new RouteCounters()), null);
        awaitStarted("loud");

        send(Map.of("count", 900), null, "stratumseind").send();
        send(Map.of("count", 950), null, "stratumseind").send();
        send(Map.of("count", 950), null, "markt").send();

        assertThat(notifications.sent).extracting(s -> s.alert().zone()).containsExactly("stratumseind", "markt");
        assertThat(notifications.sent.get(0).alert().severity()).isEqualTo("warning");
        assertThat(status("loud").suppressed()).isEqualTo(1);
    }

    @Test
    void withoutANotificationServiceTheExchangeFailsAndTheEventBecomesADeadLetter() {
        RecordingDeadLetters deadLetters = new RecordingDeadLetters();
        write("alerts.yaml", alertRoute("loud", "direct:loud", "hub:alert?channels=police&title=Too loud")
                + alertRoute("loud-events", "hub:events?feature=noise", "hub:alert?channels=police&title=Too loud"));
        start(new HubServices(() -> null, () -> null, clock, new RouteCounters()), deadLetters);
        awaitStarted("loud");
        awaitStarted("loud-events");

        assertThatThrownBy(() -> send(Map.of("laeq", 72.5), "nl.eindhoven.safety:stratumseind-12", null).request())
                .isInstanceOf(CamelExecutionException.class)
                .rootCause().hasMessageContaining("Cannot raise alert 'Too loud' of route loud: no notification "
                        + "service is running");
        assertThat(status("loud").failed()).isEqualTo(1);

        runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 72.5, 1)));
        await().until(() -> deadLetters.recorded.size() == 1);
        assertThat(deadLetters.recorded.get(0).source()).isEqualTo("route:loud-events");
        assertThat(deadLetters.recorded.get(0).origin()).isEqualTo("twin:" + TestThings.POLE);
        assertThat(deadLetters.recorded.get(0).reason()).contains("no notification service is running");
        RouteStatus status = status("loud-events");
        assertThat(status.in()).isEqualTo(1);
        assertThat(status.failed()).isEqualTo(1);
        assertThat(status.deadLettered()).isEqualTo(1);
        assertThat(status.out()).isZero();
    }

    @Test
    void anUnknownChannelFailsTheExchangeNamingIt() {
        write("alerts.yaml", alertRoute("loud", "direct:loud", "hub:alert?channels=firemen&title=Too loud"));
        start(new HubServices(() -> notifications, () -> null, clock, new RouteCounters()), null);
        awaitStarted("loud");

        assertThatThrownBy(() -> send(Map.of("laeq", 72.5), "nl.eindhoven.safety:stratumseind-12", null).request())
                .rootCause().hasMessageContaining("'firemen'");
        assertThat(notifications.sent).isEmpty();
    }

    @Test
    void aBadSeverityRefusesTheFileNamingTheSeverities() {
        write("alerts.yaml", alertRoute("loud", "direct:loud", "hub:alert?channels=ops&title=x&severity=urgent"));
        start(new HubServices(() -> notifications, () -> null, clock, new RouteCounters()), null);

        assertThat(runtime.routeFiles().summary().refused().get(0).reason())
                .contains("severity=urgent", "info", "warning", "critical");
    }
}
