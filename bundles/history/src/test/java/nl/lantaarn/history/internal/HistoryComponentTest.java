package nl.lantaarn.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.history.api.HistoryPoint;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.api.HistoryUnavailableException;
import nl.lantaarn.history.api.Step;
import nl.lantaarn.personaldata.api.RetentionRules;
import nl.lantaarn.twin.api.TwinEvent;

class HistoryComponentTest {

    private static final ThingId ID = ThingId.of("nl.demo.safety", "noise-n-7");
    private static final Instant T0 = Instant.parse("2026-11-23T21:14:05.250Z");

    @TempDir
    Path home;
    private HistoryComponent history;

    private HistoryComponent history(Path file) {
        history = new HistoryComponent(home, new HistoryComponent.Settings(file,
                RetentionPolicy.of(HistoryComponent.PID, 30, Map.of()), 60, 1000),
                new TestEvents.MutableClock(T0), false);
        return history;
    }

    @AfterEach
    void close() {
        if (history != null) {
            history.deactivate();
        }
    }

    @Test
    void recordsEachPropertyChangeAtTheEventsTimeAndAnswersQueries() {
        HistoryComponent component = history(home.resolve("data/history/history.mv"));
        TwinEvent created = TestEvents.created(ID, 71.5, T0);
        TwinEvent louder = TestEvents.reading(created, 74.0, T0.plusSeconds(30));
        component.onTwinEvent(created);
        component.onTwinEvent(louder);

        HistoryQuery laeq = HistoryQuery.of(ID, "noise", JsonPointer.of("/laeq"), T0, T0.plusSeconds(60));
        assertThat(component.query(laeq).points()).containsExactly(
                new HistoryPoint(T0, JsonValue.of(71.5)), new HistoryPoint(T0.plusSeconds(30), JsonValue.of(74.0)));
        assertThat(component.query(laeq.withStep(Step.ONE_MINUTE)).buckets()).singleElement()
                .satisfies(b -> assertThat(b.avg()).isEqualTo(72.75));
        assertThat(component.recorded()).isEqualTo(3);
        assertThat(component.health().status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(component.health().detail()).startsWith("3 points in 2 series in ");

        // committed and closed at deactivation: a new component reads it back
        component.deactivate();
        HistoryComponent again = history(home.resolve("data/history/history.mv"));
        assertThat(again.query(laeq).points()).hasSize(2);
    }

    @Test
    void aStoreThatCannotBeOpenedIsReportedAndWhatIsLostIsCounted() throws Exception {
        Path blocker = home.resolve("data");
        Files.writeString(blocker, "a file where the data folder should be");
        HistoryComponent component = history(blocker.resolve("history/history.mv"));

        component.onTwinEvent(TestEvents.created(ID, 71.5, T0));

        ComponentHealth health = component.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
        assertThat(health.detail()).contains(blocker.toString()).contains("'file' in etc/nl.lantaarn.history.cfg")
                .contains("2 property changes were not recorded");
        assertThat(component.lost()).isEqualTo(2);
        assertThatThrownBy(() -> component.query(HistoryQuery.of(ID, "noise", JsonPointer.of("/laeq"), T0,
                T0.plusSeconds(1)))).isInstanceOf(HistoryUnavailableException.class).hasMessageContaining(
                        blocker.toString());

        // pointed elsewhere while running, it records again
        component.apply(new HistoryComponent.Settings(home.resolve("elsewhere/history.mv"),
                RetentionPolicy.of(HistoryComponent.PID, 30, Map.of()), 60, 1000));
        component.onTwinEvent(TestEvents.created(ID, 60.0, T0));
        assertThat(component.recorded()).isEqualTo(2);
        assertThat(component.health().status()).as("the loss stays visible").isEqualTo(ComponentHealth.Status.DEGRADED);
    }

    @Test
    void theRetentionOfAFeaturesCategoriesShortensTheDefinitionsAndErasureLeavesNothingInTheFile() throws Exception {
        Path file = home.resolve("data/history/history.mv");
        HistoryComponent component = history(file);
        ThingId other = ThingId.of("nl.demo.safety", "noise-n-8");
        component.onTwinEvent(TestEvents.created(ID, 71.5, T0));
        component.onTwinEvent(TestEvents.created(other, 55.5, T0));
        RetentionRules rules = new RetentionRules() {
            @Override
            public java.util.Optional<java.time.Duration> feature(String thingId, String featureId) {
                // the adapter declared a category kept 2 days for n-7's noise; n-8 has no manifest (30 days)
                return thingId.equals(ID.toString()) ? java.util.Optional.of(java.time.Duration.ofDays(2))
                        : java.util.Optional.empty();
            }

            @Override
            public java.time.Duration thing(String thingId) {
                return fallback();
            }

            @Override
            public java.time.Duration source(String source) {
                return fallback();
            }

            @Override
            public java.time.Duration fallback() {
                return java.time.Duration.ofDays(30);
            }
        };
        HistoryQuery laeq = HistoryQuery.of(ID, "noise", JsonPointer.of("/laeq"), T0, T0.plusSeconds(60));
        HistoryQuery otherLaeq = HistoryQuery.of(other, "noise", JsonPointer.of("/laeq"), T0, T0.plusSeconds(60));

        assertThat(component.expire(rules, T0.plus(java.time.Duration.ofDays(1)))).isZero();
        assertThat(component.expire(rules, T0.plus(java.time.Duration.ofDays(3)))).isEqualTo(2);
        assertThat(component.query(laeq).points()).isEmpty();
        assertThat(component.query(otherLaeq).points()).hasSize(1);

        assertThat(component.export(nl.lantaarn.personaldata.api.DataSubject.thing(other.toString())))
                .anySatisfy(json -> assertThat(json).contains("55.5").contains("/laeq"));
        assertThat(component.erase(nl.lantaarn.personaldata.api.DataSubject.thing(other.toString()))).isEqualTo(2);
        assertThat(component.query(otherLaeq).points()).isEmpty();
        assertThat(component.export(nl.lantaarn.personaldata.api.DataSubject.thing(other.toString()))).isEmpty();
        component.deactivate();
        assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("noise-n-8");
    }
}
