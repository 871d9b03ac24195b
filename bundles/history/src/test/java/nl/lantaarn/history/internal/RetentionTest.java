package nl.lantaarn.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.history.api.HistoryPoint;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.twin.api.TwinEvent;

class RetentionTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final ThingId NOISE = ThingId.of("nl.demo.safety", "noise-n-1");
    private static final ThingId LAMP = ThingId.of("nl.demo.lighting", "lamp-1");
    private static final JsonPointer LAEQ = JsonPointer.of("/laeq");

    @TempDir
    Path home;
    private final TestEvents.MutableClock clock = new TestEvents.MutableClock(START);
    private HistoryComponent history;

    private HistoryComponent history(Map<String, ?> properties) {
        RetentionPolicy policy = RetentionPolicy.of(HistoryComponent.PID, 30, properties);
        history = new HistoryComponent(home, new HistoryComponent.Settings(home.resolve("history.mv"), policy, 60, 1000),
                clock, false);
        return history;
    }

    @AfterEach
    void close() {
        if (history != null) {
            history.deactivate();
        }
    }

    @Test
    void overridesByNameOrFullIdentifierAndTheFullIdentifierWins() {
        RetentionPolicy policy = RetentionPolicy.of("pid", 30, Map.of(
                "retention.NoiseLevelObserved", "7",
                "retention.org.fiware.smartdatamodels:NoiseLevelObserved:2.0.0", 3,
                "retention.Streetlight", "0",
                "retention.CrowdFlowObserved", "",
                "retentionDays", "30",
                "unrelated", "x"));
        assertThat(policy.problems()).isEmpty();
        assertThat(policy.days(TestEvents.NOISE)).isEqualTo(7);
        assertThat(policy.days("org.fiware.smartdatamodels:NoiseLevelObserved:2.0.0")).isEqualTo(3);
        assertThat(policy.days(TestEvents.LIGHT)).as("0 means the default").isEqualTo(30);
        assertThat(policy.days("")).isEqualTo(30);
        assertThat(policy.days("NoiseLevelObserved")).isEqualTo(7);
        assertThat(policy.toString()).isEqualTo("30 days, NoiseLevelObserved 7, "
                + "org.fiware.smartdatamodels:NoiseLevelObserved:2.0.0 3");
    }

    @Test
    void badValuesAreLeftOutAndNamedWithTheFileToChange() {
        RetentionPolicy policy = RetentionPolicy.of("nl.lantaarn.history", 0, Map.of(
                "retention.NoiseLevelObserved", "a week", "retention.Streetlight", "-2"));
        assertThat(policy.defaultDays()).isEqualTo(30);
        assertThat(policy.overrides()).isEmpty();
        assertThat(policy.problems()).hasSize(3).allSatisfy(p -> assertThat(p).contains("etc/nl.lantaarn.history.cfg"))
                .anySatisfy(p -> assertThat(p).startsWith("retention.NoiseLevelObserved = 'a week' is not a whole "
                        + "number of days"))
                .anySatisfy(p -> assertThat(p).startsWith("retentionDays = 0"));
    }

    @Test
    void jobRemovesPointsPastTheRetentionOfTheirFeaturesDefinition() {
        HistoryComponent component = history(Map.of("retention.NoiseLevelObserved", "7"));
        // a noise reading every day for 40 days, a lamp without definition on the same days
        TwinEvent noise = TestEvents.created(NOISE, 50, START);
        component.onTwinEvent(noise);
        TwinEvent lamp = lamp(START);
        component.onTwinEvent(lamp);
        for (int day = 1; day < 40; day++) {
            Instant at = START.plus(Duration.ofDays(day));
            noise = TestEvents.reading(noise, 50 + day, at);
            component.onTwinEvent(noise);
            lamp = TestEvents.merged(lamp.thing(), JsonObject.of("{\"features\":{\"light\":{\"properties\":{\"dim\":"
                    + day + "}}}}"), at);
            component.onTwinEvent(lamp);
        }
        Instant now = START.plus(Duration.ofDays(39)).plusSeconds(3600);
        clock.set(now);

        HistoryComponent.RetentionRun run = component.runRetention();

        // noise: 7 days back from now, so days 33..39; units/laeq only at day 0; lamp: 30 days, so days 10..39
        assertThat(laeqDays(component)).containsExactly(33L, 34L, 35L, 36L, 37L, 38L, 39L);
        assertThat(component.query(HistoryQuery.of(NOISE, "noise", JsonPointer.of("/units/laeq"), START, now))
                .points()).isEmpty();
        assertThat(component.query(HistoryQuery.of(LAMP, "light", JsonPointer.of("/dim"), START, now)).points())
                .extracting(p -> p.value().asLong()).first().isEqualTo(10L);
        assertThat(run.removed()).isEqualTo(33 + 1 + 10);
        assertThat(run.at()).isEqualTo(now);
        assertThat(component.health().status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(component.health().detail()).contains("last retention run " + now + " removed 44")
                .contains("retention 30 days, NoiseLevelObserved 7");

        // nothing more to remove until the clock moves on a day
        assertThat(component.runRetention().removed()).isZero();
        clock.set(now.plus(Duration.ofDays(1)));
        assertThat(component.runRetention().removed()).isEqualTo(2);
    }

    @Test
    void changedRetentionAppliesWithoutLosingEvents() {
        HistoryComponent component = history(Map.of());
        TwinEvent noise = TestEvents.created(NOISE, 50, START);
        component.onTwinEvent(noise);
        component.onTwinEvent(TestEvents.reading(noise, 60, START.plus(Duration.ofDays(10))));
        clock.set(START.plus(Duration.ofDays(12)));
        assertThat(component.runRetention().removed()).isZero();

        component.apply(new HistoryComponent.Settings(home.resolve("history.mv"),
                RetentionPolicy.of(HistoryComponent.PID, 5, Map.of()), 60, 1000));
        assertThat(component.runRetention().removed()).isEqualTo(2);
        assertThat(laeqDays(component)).containsExactly(10L);
    }

    private long[] laeqDays(HistoryComponent component) {
        return component.query(HistoryQuery.of(NOISE, "noise", LAEQ, START, clock.instant().plusSeconds(1))
                        .withLimit(1000)).points().stream().map(HistoryPoint::time)
                .mapToLong(t -> Duration.between(START, t).toDays()).toArray();
    }

    private static TwinEvent lamp(Instant at) {
        var thing = org.eclipse.ditto.things.model.ThingsModelFactory.newThing(JsonObject.of(
                "{\"thingId\":\"" + LAMP + "\",\"features\":{\"light\":{\"properties\":{\"dim\":0}}}}"))
                .toBuilder().setRevision(1).setModified(at).build();
        return new TwinEvent(org.eclipse.ditto.things.model.signals.events.ThingCreated.of(thing, 1, at,
                org.eclipse.ditto.base.model.headers.DittoHeaders.empty(), null), thing);
    }
}
