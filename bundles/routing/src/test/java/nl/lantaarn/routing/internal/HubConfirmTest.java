package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ResolveEndpointFailedException;
import org.junit.jupiter.api.Test;

import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.routing.api.RouteStatus;
import nl.lantaarn.routing.internal.HubAlertTest.TestClock;
import nl.lantaarn.routing.internal.UndeliveredEventsTest.RecordingDeadLetters;

/** hub:confirm in a real Camel context: the rest of the flow runs only on confirmation, and only once. */
class HubConfirmTest extends RoutingTestSupport {

    private static final String THING = "nl.eindhoven.safety:stratumseind-12";

    private final TestClock clock = new TestClock();
    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();

    /** direct:park parks with hub:confirm (a step after it must not run); direct:act is the confirmed remainder. */
    private void startWith(String confirmUri) {
        write("confirm.yaml", """
                - route:
                    id: park
                    from:
                      uri: direct:park
                      steps:
                        - to: "%s"
                        - to: mqtt:test/after-confirm-step
                """.formatted(confirmUri) + METADATA + """
                - route:
                    id: act
                    from:
                      uri: direct:act
                      steps:
                        - setBody:
                            simple: "${header.LantaarnConfirmedBy} ${body[laeq]} ${header.LantaarnThingId}"
                        - to: mqtt:test/act
                """ + METADATA);
        start(new HubServices(() -> null, () -> null, clock, new RouteCounters()), deadLetters);
        awaitStarted("park");
        awaitStarted("act");
    }

    private void startDefault() {
        startWith("hub:confirm?action=Send the police&then=direct:act&timeout=PT10M");
    }

    private PendingAction park(double laeq) {
        String id = runtime.context().createFluentProducerTemplate().to("direct:park")
                .withBody(Map.of("laeq", laeq)).withHeader(HubHeaders.THING_ID, THING)
                .request(org.apache.camel.Exchange.class).getMessage()
                .getHeader(HubConfirmProducer.ACTION_ID_HEADER, String.class);
        return runtime.pendingActions().list().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private PendingActions pending() {
        return runtime.pendingActions();
    }

    @Test
    void parksTheMessageAndRunsTheRemainderOnceOnConfirmation() {
        startDefault();

        PendingAction action = park(72.5);

        assertThat(action.route()).isEqualTo("park");
        assertThat(action.thing()).isEqualTo(THING);
        assertThat(action.action()).isEqualTo("Send the police");
        assertThat(action.bodySummary()).isEqualTo("{\"laeq\":72.5}");
        assertThat(action.created()).isEqualTo(clock.now);
        assertThat(action.expires()).isEqualTo(clock.now.plus(Duration.ofMinutes(10)));
        // neither the step after hub:confirm nor the remainder ran
        assertThat(mqtt.published).isEmpty();

        assertThat(pending().confirm(action.id(), "operator")).contains(action);

        assertThat(mqtt.published).hasSize(1);
        assertThat(mqtt.published.get(0).topic()).isEqualTo("test/act");
        assertThat(new String(mqtt.published.get(0).payload(), StandardCharsets.UTF_8))
                .isEqualTo("operator 72.5 " + THING);
        assertThat(pending().list()).isEmpty();

        // a second confirmation, or a late rejection, finds nothing and runs nothing
        assertThat(pending().confirm(action.id(), "operator")).isEmpty();
        assertThat(pending().reject(action.id(), "operator", "too late")).isEmpty();
        assertThat(mqtt.published).hasSize(1);
        RouteStatus park = status("park");
        assertThat(park.confirmed()).isEqualTo(1);
        assertThat(park.rejected()).isZero();
        assertThat(park.expired()).isZero();
        assertThat(park.failed()).isZero();
        assertThat(status("act").out()).isEqualTo(1);
        assertThat(runtime.health().detail()).contains("park (in 1, out 1, failed 0, dead-lettered 0, suppressed 0, "
                + "confirmed 1, rejected 0, expired 0)");
    }

    @Test
    void aRejectedActionDoesNotRunAndIsCounted() {
        startDefault();
        PendingAction first = park(71);
        PendingAction second = park(80);

        assertThat(pending().reject(first.id(), "operator", "false alarm")).contains(first);

        assertThat(pending().list()).containsExactly(second);
        assertThat(pending().confirm(first.id(), "operator")).isEmpty();
        assertThat(mqtt.published).isEmpty();
        assertThat(status("park").rejected()).isEqualTo(1);
        assertThat(status("park").confirmed()).isZero();
        assertThat(status("act").in()).isZero();
    }

    @Test
    void anActionNobodyDecidesOnExpiresAndIsCountedAsExpired() {
        startDefault();
        PendingAction action = park(75);

        clock.now = clock.now.plus(Duration.ofMinutes(10)).minusMillis(1);
        assertThat(pending().expire()).isZero();
        clock.now = clock.now.plusMillis(1);
        assertThat(pending().expire()).isEqualTo(1);

        assertThat(pending().list()).isEmpty();
        assertThat(pending().confirm(action.id(), "operator")).isEmpty();
        assertThat(mqtt.published).isEmpty();
        assertThat(status("park").expired()).isEqualTo(1);
        assertThat(status("park").rejected()).isZero();
        assertThat(status("park").confirmed()).isZero();
    }

    @Test
    void beyondTheBoundTheExchangeFailsAndATwinEventBecomesADeadLetter() {
        write("confirm.yaml", """
                - route:
                    id: park
                    from:
                      uri: direct:park
                      steps:
                        - to: "hub:confirm?action=Dim&then=direct:nowhere"
                """ + METADATA + """
                - route:
                    id: park-events
                    from:
                      uri: hub:events?feature=noise
                      steps:
                        - to: "hub:confirm?action=Dim&then=direct:nowhere"
                """ + METADATA);
        start(new HubServices(() -> null, () -> null, clock, new RouteCounters()), deadLetters);
        awaitStarted("park");
        awaitStarted("park-events");
        var template = runtime.context().createFluentProducerTemplate();
        for (int i = 0; i < RoutingRuntime.MAX_PENDING_ACTIONS; i++) {
            template.to("direct:park").withBody("{\"n\":" + i + "}").send();
        }
        assertThat(pending().list()).hasSize(RoutingRuntime.MAX_PENDING_ACTIONS);

        assertThatThrownBy(() -> template.to("direct:park").withBody("{}").request())
                .isInstanceOf(CamelExecutionException.class)
                .rootCause().hasMessageContaining("Cannot park action 'Dim' of route park for confirmation: 1000 "
                        + "actions already wait");
        assertThat(status("park").failed()).isEqualTo(1);

        runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 72.5, 1)));
        await().until(() -> deadLetters.recorded.size() == 1);
        assertThat(deadLetters.recorded.get(0).source()).isEqualTo("route:park-events");
        assertThat(deadLetters.recorded.get(0).reason()).contains("1000 actions already wait");
        assertThat(pending().list()).hasSize(RoutingRuntime.MAX_PENDING_ACTIONS);
    }

    @Test
    void aConfirmedMessageThatFailsAtItsEndpointBecomesADeadLetter() {
        startWith("hub:confirm?action=Dim&then=direct:gone");
        PendingAction action = park(70);

        assertThat(pending().confirm(action.id(), "operator")).contains(action);

        assertThat(deadLetters.recorded).hasSize(1);
        assertThat(deadLetters.recorded.get(0).source()).isEqualTo("route:park");
        assertThat(deadLetters.recorded.get(0).origin()).isEqualTo("pending:" + action.id());
        assertThat(deadLetters.recorded.get(0).reason()).contains("failed at direct:gone: no started route consumes "
                + "direct:gone");
        assertThat(deadLetters.recorded.get(0).payloadAsString()).isEqualTo("{\"laeq\":70.0}");
        assertThat(status("park").confirmed()).isEqualTo(1);
        assertThat(status("park").deadLettered()).isEqualTo(1);
    }

    @Test
    void aTwinEventParkedInsideAFilterContinuesWithItsHeadersOnConfirmation() {
        write("escalation.yaml", """
                - route:
                    id: noise-escalation
                    from:
                      uri: hub:events?feature=noise
                      steps:
                        - filter:
                            simple: "${body[features][noise][properties][laeq]} > 80"
                            steps:
                              - to: "hub:confirm?action=Send the police to the location&then=direct:dispatch"
                        - to: mqtt:test/after-filter
                """ + METADATA + """
                - route:
                    id: dispatch
                    from:
                      uri: direct:dispatch
                      steps:
                        - setBody:
                            simple: "${header.LantaarnThingId} ${header.LantaarnPendingActionId}"
                        - to: mqtt:test/dispatch
                """ + METADATA);
        start(new HubServices(() -> null, () -> null, clock, new RouteCounters()), deadLetters);
        awaitStarted("noise-escalation");
        awaitStarted("dispatch");

        runtime.onTwinEvent(TestThings.created(TestThings.noiseThing(TestThings.POLE, 85, 1)));
        await().until(() -> pending().list().size() == 1);
        PendingAction action = pending().list().get(0);
        assertThat(action.action()).isEqualTo("Send the police to the location");
        assertThat(action.thing()).isEqualTo(TestThings.POLE.toString());
        assertThat(mqtt.published).isEmpty();

        pending().confirm(action.id(), "operator");

        assertThat(mqtt.published).extracting(RecordingMqttConnection.Published::topic)
                .containsExactly("test/dispatch");
        assertThat(new String(mqtt.published.get(0).payload(), StandardCharsets.UTF_8))
                .isEqualTo(TestThings.POLE + " " + action.id());
    }

    @Test
    void badOptionsAreRefusedNamingWhatToWrite() {
        start();
        assertThatThrownBy(() -> runtime.context().getEndpoint("hub:confirm?then=direct:x"))
                .isInstanceOf(ResolveEndpointFailedException.class).rootCause().hasMessageContaining("needs action=");
        assertThatThrownBy(() -> runtime.context().getEndpoint("hub:confirm?action=Dim"))
                .rootCause().hasMessageContaining("needs then=<endpoint>");
        assertThatThrownBy(() -> runtime.context().getEndpoint("hub:confirm?action=Dim&then=direct:x&timeout=10m"))
                .rootCause().hasMessageContaining("timeout=10m is not an ISO-8601 duration");
        assertThatThrownBy(() -> runtime.context().getEndpoint("hub:confirm?action=Dim&then=direct:x&timeout=P8D"))
                .rootCause().hasMessageContaining("at most PT168H");
    }
}
