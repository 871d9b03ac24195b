package nl.lantaarn.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinEvent;

class InMemoryTwinServiceTest {

    private static final ThingId ID = ThingId.of("nl.demo.safety", "noise-n-7");
    private final InMemoryTwinService twin = new InMemoryTwinService();

    @AfterEach
    void stop() {
        twin.deactivate();
    }

    private static ThingUpdate laeq(double value) {
        return ThingUpdate.merge(ID, JsonObject.of("{\"features\":{\"noise\":{\"properties\":{\"laeq\":" + value + "}}}}"));
    }

    @Test
    void createsThenMergesWithRevisions() {
        Thing created = twin.apply(ThingUpdate.merge(ID,
                JsonObject.of("{\"attributes\":{\"zone\":\"stratumseind\"},\"features\":{\"noise\":{\"properties\":{\"laeq\":60}}}}")));
        assertThat(created.getRevision()).hasValueSatisfying(r -> assertThat(r.toLong()).isEqualTo(1L));

        Thing merged = twin.apply(laeq(72.4));
        assertThat(merged.getRevision()).hasValueSatisfying(r -> assertThat(r.toLong()).isEqualTo(2L));
        assertThat(merged.getAttributes().orElseThrow().getValue("zone")).contains(JsonFactory.newValue("stratumseind"));
        assertThat(merged.getFeatures().orElseThrow().getFeature("noise").orElseThrow().getProperty(JsonPointer.of("laeq")))
                .contains(JsonFactory.newValue(72.4));
        assertThat(twin.retrieve(ID)).contains(merged);
        assertThat(twin.list()).containsExactly(merged);
    }

    @Test
    void nullInPatchRemoves() {
        twin.apply(ThingUpdate.merge(ID, JsonObject.of("{\"attributes\":{\"zone\":\"a\",\"vendor\":\"b\"}}")));
        Thing after = twin.apply(ThingUpdate.merge(ID, JsonObject.of("{\"attributes\":{\"zone\":null}}")));
        assertThat(after.getAttributes().orElseThrow().contains("zone")).isFalse();
        assertThat(after.getAttributes().orElseThrow().contains("vendor")).isTrue();
    }

    @Test
    void refusesThingsBreakingConventionsAndKeepsPreviousState() {
        twin.apply(laeq(50));
        assertThatThrownBy(() -> twin.apply(ThingUpdate.merge(ID,
                JsonObject.of("{\"attributes\":{\"location\":{\"type\":\"Point\",\"coordinates\":[5.4]}}}"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attributes/location/coordinates");
        assertThat(twin.retrieve(ID).orElseThrow().getRevision().orElseThrow().toLong()).isEqualTo(1L);
        assertThatThrownBy(() -> twin.apply(ThingUpdate.merge(ThingId.of("demo", "x"), JsonObject.empty())))
                .hasMessageContaining("namespace 'demo'");
    }

    @Test
    void listenersGetEventsInOrderWithoutBlockingWriters() throws Exception {
        List<TwinEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        twin.addListener(event -> {
            waitFor(release);
            seen.add(event);
        });
        List<TwinEvent> fast = new CopyOnWriteArrayList<>();
        twin.addListener(fast::add);

        for (int i = 0; i < 100; i++) {
            twin.apply(laeq(i)); // returns although the first listener is blocked
        }
        await().untilAsserted(() -> assertThat(fast).hasSize(100));
        assertThat(seen).isEmpty();
        release.countDown();
        await().untilAsserted(() -> assertThat(seen).hasSize(100));
        assertThat(seen.get(0).event()).isInstanceOf(ThingCreated.class);
        assertThat(seen.get(1).event()).isInstanceOf(ThingMerged.class);
        assertThat(seen).extracting(TwinEvent::revision).isSorted().startsWith(1L, 2L).endsWith(100L);
        assertThat(twin.health().status().name()).isEqualTo("UP");
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
