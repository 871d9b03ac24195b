package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.routing.internal.HubAlertTest.TestClock;
import nl.lantaarn.routing.internal.UndeliveredEventsTest.RecordingDeadLetters;

/** hub:confirm's pending actions survive a restart of the runtime on the same pending-actions file. */
class PendingActionsRestartTest extends RoutingTestSupport {

    private static final String THING = "nl.eindhoven.safety:stratumseind-12";

    @TempDir
    Path home;

    private final TestClock clock = new TestClock();
    private final RecordingDeadLetters deadLetters = new RecordingDeadLetters();
    private final List<Message> captured = new CopyOnWriteArrayList<>();

    private void startRuntime() {
        write("confirm.yaml", """
                - route:
                    id: park
                    from:
                      uri: direct:park
                      steps:
                        - to: "hub:confirm?action=Send the police&then=direct:act&timeout=PT10M"
                """ + METADATA + """
                - route:
                    id: act
                    from:
                      uri: direct:act
                      steps:
                        - to: direct:capture
                        - setBody:
                            simple: "${header.LantaarnConfirmedBy} ${body[laeq]} ${header.LantaarnThingId}"
                        - to: mqtt:test/act
                """ + METADATA);
        runtime = new RoutingRuntime(new RoutingRuntime.Settings(routes, 50, 1000, 5, "routesDirectory (test)", null,
                home.resolve(RoutingRuntime.PENDING_FILE)), () -> mqtt, () -> deadLetters,
                new HubServices(() -> null, () -> null, clock, new RouteCounters()),
                PendingActionsRestartTest.class.getClassLoader());
        runtime.start();
        try {
            // what the confirmed message looks like when it arrives, types included
            runtime.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:capture").routeId("capture").process(e -> captured.add(e.getMessage().copy()));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        awaitStarted("park");
        awaitStarted("act");
    }

    private PendingAction park(Object body) {
        String id = runtime.context().createFluentProducerTemplate().to("direct:park").withBody(body)
                .withHeader(HubHeaders.THING_ID, THING).withHeader("count", 3).withHeader("big", 4_000_000_000L)
                .withHeader("ratio", 0.5).withHeader("flag", true).withHeader("object", new Object())
                .request(Exchange.class).getMessage().getHeader(HubConfirmProducer.ACTION_ID_HEADER, String.class);
        return runtime.pendingActions().list().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    private void restart() {
        runtime.close();
        runtime = null;
        startRuntime();
    }

    @Test
    void aParkedActionIsConfirmedAfterARestartWithItsBodyAndHeaders() {
        startRuntime();
        PendingAction action = park(Map.of("laeq", 72.5));
        PendingAction text = park("plain text");

        restart();

        assertThat(runtime.pendingActions().list()).containsExactly(action, text);
        assertThat(mqtt.published).isEmpty();

        assertThat(runtime.pendingActions().confirm(action.id(), "operator")).contains(action);

        assertThat(mqtt.published).hasSize(1);
        assertThat(new String(mqtt.published.get(0).payload(), StandardCharsets.UTF_8))
                .isEqualTo("operator 72.5 " + THING);
        Message message = captured.get(0);
        assertThat(message.getBody()).isInstanceOf(Map.class).isEqualTo(Map.of("laeq", 72.5));
        assertThat(message.getHeader("count")).isEqualTo(3);
        assertThat(message.getHeader("big")).isEqualTo(4_000_000_000L);
        assertThat(message.getHeader("ratio")).isEqualTo(0.5);
        assertThat(message.getHeader("flag")).isEqualTo(true);
        // not a String, Number or Boolean: not kept across a restart
        assertThat(message.getHeader("object")).isNull();
        assertThat(message.getHeader(HubConfirmProducer.ACTION_ID_HEADER)).isEqualTo(action.id());
        assertThat(message.getHeader(HubConfirmProducer.CONFIRMED_BY_HEADER)).isEqualTo("operator");
        assertThat(status("park").confirmed()).isEqualTo(1);

        // the decided action is gone from the file, the other one is still there after the next restart
        restart();
        assertThat(runtime.pendingActions().list()).containsExactly(text);
        assertThat(runtime.pendingActions().reject(text.id(), "operator", "false alarm")).contains(text);
        restart();
        assertThat(runtime.pendingActions().list()).isEmpty();
        assertThat(runtime.health().detail()).doesNotContain("pending actions are kept in memory only");
    }

    @Test
    void anActionWhoseTimeRanOutDuringTheRestartExpiresAtOnce() {
        startRuntime();
        PendingAction action = park(Map.of("laeq", 80));
        runtime.close();
        runtime = null;

        clock.now = clock.now.plus(Duration.ofMinutes(11));
        startRuntime();

        assertThat(runtime.pendingActions().list()).isEmpty();
        assertThat(runtime.pendingActions().confirm(action.id(), "operator")).isEmpty();
        assertThat(status("park").expired()).isEqualTo(1);
        assertThat(mqtt.published).isEmpty();
        restart();
        assertThat(runtime.pendingActions().list()).isEmpty();
    }

    @Test
    void aPendingActionsFileThatCannotBeOpenedLeavesThemInMemoryAndSaysSo() throws Exception {
        // a folder where the file should be
        java.nio.file.Files.createDirectories(home.resolve(RoutingRuntime.PENDING_FILE));
        startRuntime();

        PendingAction action = park(Map.of("laeq", 75));

        assertThat(runtime.pendingActions().list()).containsExactly(action);
        assertThat(runtime.health().detail()).contains("pending actions are kept in memory only (a restart drops "
                + "them)");
        assertThat(runtime.pendingActions().confirm(action.id(), "operator")).contains(action);
        assertThat(mqtt.published).hasSize(1);
    }
}
