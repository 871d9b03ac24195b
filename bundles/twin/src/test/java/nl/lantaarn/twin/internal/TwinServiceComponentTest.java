package nl.lantaarn.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.AttributeModified;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyDeleted;
import org.eclipse.ditto.things.model.signals.events.FeaturePropertyModified;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;
import org.eclipse.ditto.things.model.signals.events.ThingModified;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinConflictException;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinNotFoundException;
import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.api.WriteCondition;

class TwinServiceComponentTest {

    private static final ThingId ID = ThingId.of("nl.demo.safety", "noise-n-7");
    private static final JsonPointer LAEQ = JsonPointer.of("/features/noise/properties/laeq");

    private final MemoryTwinStore store = new MemoryTwinStore();
    private TwinServiceComponent twin = new TwinServiceComponent(store);
    private final List<TwinEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        twin.deactivate();
    }

    private void listen() {
        twin.addListener(events::add);
    }

    private static ThingUpdate laeq(double value) {
        return ThingUpdate.merge(ID, JsonObject.of("{\"features\":{\"noise\":{\"properties\":{\"laeq\":" + value + "}}}}"));
    }

    private static long revision(Thing thing) {
        return thing.getRevision().orElseThrow().toLong();
    }

    @Test
    void createsThenMergesWithRevisionsAndStoresEachChange() {
        Thing created = twin.apply(ThingUpdate.merge(ID,
                JsonObject.of("{\"attributes\":{\"zone\":\"stratumseind\"},\"features\":{\"noise\":{\"properties\":{\"laeq\":60}}}}")));
        assertThat(revision(created)).isEqualTo(1L);
        assertThat(store.things.get(ID).revision()).isEqualTo(1L);

        Thing merged = twin.apply(laeq(72.4));
        assertThat(revision(merged)).isEqualTo(2L);
        assertThat(merged.getAttributes().orElseThrow().getValue("zone")).contains(JsonFactory.newValue("stratumseind"));
        assertThat(merged.getFeatures().orElseThrow().getFeature("noise").orElseThrow().getProperty(JsonPointer.of("laeq")))
                .contains(JsonFactory.newValue(72.4));
        assertThat(twin.retrieve(ID)).contains(merged);
        assertThat(twin.list()).containsExactly(merged);
        assertThat(store.things.get(ID).revision()).isEqualTo(2L);
        assertThat(store.things.get(ID).json()).contains("72.4").contains("\"_revision\":2");
    }

    @Test
    void thingsSurviveARestartOnTheSameStore() {
        twin.apply(laeq(61));
        Thing last = twin.apply(laeq(62));
        twin.deactivate();
        twin = new TwinServiceComponent(store);
        assertThat(twin.retrieve(ID)).contains(last);
        assertThat(twin.size()).isEqualTo(1);
        assertThat(revision(twin.apply(laeq(63)))).isEqualTo(3L);
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
        assertThat(revision(twin.retrieve(ID).orElseThrow())).isEqualTo(1L);
        assertThat(store.things.get(ID).revision()).isEqualTo(1L);
        assertThatThrownBy(() -> twin.apply(ThingUpdate.merge(ThingId.of("demo", "x"), JsonObject.empty())))
                .hasMessageContaining("namespace 'demo'");
        assertThat(twin.size()).isEqualTo(1);
    }

    @Test
    void modifiesAndDeletesSinglePartsWithTheirDittoEvents() {
        listen();
        twin.apply(laeq(50));
        Thing withAttribute = twin.modify(ID, JsonPointer.of("/attributes/zone"), JsonValue.of("WK077201"),
                WriteCondition.any());
        assertThat(withAttribute.getAttributes().orElseThrow().getValue("zone")).contains(JsonValue.of("WK077201"));
        twin.modify(ID, JsonPointer.of("/attributes/zone"), JsonValue.of("WK077202"), WriteCondition.any());
        twin.modify(ID, LAEQ, JsonValue.of(71), WriteCondition.any());
        twin.modify(ID, JsonPointer.of("/features/light/desiredProperties/dim"), JsonValue.of(80), WriteCondition.any());
        Thing afterDelete = twin.delete(ID, LAEQ, WriteCondition.any()).orElseThrow();
        assertThat(afterDelete.toJson().getValue(LAEQ)).isEmpty();
        assertThat(afterDelete.toJson().getValue("features/light/desiredProperties/dim")).contains(JsonValue.of(80));

        await().untilAsserted(() -> assertThat(events).hasSize(6));
        assertThat(events).extracting(e -> e.event().getType()).containsExactly(
                "things.events:thingCreated", "things.events:attributeCreated", "things.events:attributeModified",
                "things.events:featurePropertyModified", "things.events:featureDesiredPropertyCreated",
                "things.events:featurePropertyDeleted");
        assertThat(events).extracting(TwinEvent::revision).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        AttributeModified zone = (AttributeModified) events.get(2).event();
        assertThat((Object) zone.getAttributePointer()).isEqualTo(JsonPointer.of("/zone"));
        assertThat(zone.getAttributeValue()).isEqualTo(JsonValue.of("WK077202"));
        FeaturePropertyModified property = (FeaturePropertyModified) events.get(3).event();
        assertThat(property.getFeatureId()).isEqualTo("noise");
        assertThat((Object) property.getPropertyPointer()).isEqualTo(JsonPointer.of("/laeq"));
        assertThat(events.get(5).event()).isInstanceOf(FeaturePropertyDeleted.class);
        assertThat(events.get(5).thing()).isEqualTo(afterDelete);
    }

    @Test
    void replacesAndDeletesWholeThings() {
        listen();
        twin.apply(laeq(50));
        Thing replaced = twin.modify(ID, JsonPointer.empty(),
                JsonObject.of("{\"attributes\":{\"vendor\":\"acme\"}}"), WriteCondition.any());
        assertThat(replaced.getFeatures()).isEmpty();
        assertThat(revision(replaced)).isEqualTo(2L);
        assertThat(twin.delete(ID, JsonPointer.empty(), WriteCondition.ifMatch(2))).isEmpty();
        assertThat(twin.retrieve(ID)).isEmpty();
        assertThat(twin.size()).isZero();
        assertThat(store.things).doesNotContainKey(ID);
        await().untilAsserted(() -> assertThat(events).hasSize(3));
        assertThat(events.get(1).event()).isInstanceOf(ThingModified.class);
        assertThat(events.get(2).event()).isInstanceOf(ThingDeleted.class);
        assertThat(events.get(2).isThingDeleted()).isTrue();
        assertThat(events.get(2).thing()).isEqualTo(replaced);
        assertThat(events.get(2).revision()).isEqualTo(3L);

        assertThatThrownBy(() -> twin.delete(ID, JsonPointer.empty(), WriteCondition.any()))
                .isInstanceOf(TwinNotFoundException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> twin.modify(ID, LAEQ, JsonValue.of(1), WriteCondition.any()))
                .isInstanceOf(TwinNotFoundException.class);
        // created again: revisions start over
        assertThat(revision(twin.apply(laeq(1)))).isEqualTo(1L);
    }

    @Test
    void mergesIntoAPathWithRfc7396() {
        listen();
        twin.apply(ThingUpdate.merge(ID, JsonObject.of(
                "{\"features\":{\"noise\":{\"properties\":{\"laeq\":50,\"lamax\":60,\"unit\":\"dB(A)\"}}}}")));
        Thing merged = twin.merge(ID, JsonPointer.of("/features/noise/properties"),
                JsonObject.of("{\"laeq\":55,\"lamax\":null}"), WriteCondition.ifMatch(1));
        JsonObject properties = merged.toJson().getValue("features/noise/properties").orElseThrow().asObject();
        assertThat((Object) properties).isEqualTo(JsonObject.of("{\"laeq\":55,\"unit\":\"dB(A)\"}"));
        await().untilAsserted(() -> assertThat(events).hasSize(2));
        ThingMerged event = (ThingMerged) events.get(1).event();
        assertThat((Object) event.getResourcePath()).isEqualTo(JsonPointer.of("/features/noise/properties"));
        assertThat((Object) event.getValue()).isEqualTo(JsonObject.of("{\"laeq\":55,\"lamax\":null}"));
        assertThatThrownBy(() -> twin.merge(ThingId.of("nl.demo.safety", "absent"), JsonPointer.of("/attributes"),
                JsonObject.empty(), WriteCondition.any())).isInstanceOf(TwinNotFoundException.class);
    }

    @Test
    void conditionalWritesFailWithTheCurrentRevision() {
        listen();
        assertThatThrownBy(() -> twin.merge(ID, JsonPointer.empty(), laeq(1).patch(), WriteCondition.ifMatchAny()))
                .isInstanceOfSatisfying(TwinConflictException.class, e -> {
                    assertThat(e.currentRevision()).isEmpty();
                    assertThat(e.errorCode()).isEqualTo("things:precondition.failed");
                    assertThat(e.getMessage()).contains("does not exist").contains("If-Match: *");
                });
        assertThat(twin.retrieve(ID)).isEmpty();

        twin.merge(ID, JsonPointer.empty(), laeq(1).patch(), WriteCondition.ifNoneMatchAny());
        assertThatThrownBy(() -> twin.merge(ID, JsonPointer.empty(), laeq(2).patch(), WriteCondition.ifNoneMatchAny()))
                .isInstanceOfSatisfying(TwinConflictException.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(OptionalLong.of(1)));
        twin.modify(ID, LAEQ, JsonValue.of(3), WriteCondition.ifMatch(1));
        assertThatThrownBy(() -> twin.modify(ID, LAEQ, JsonValue.of(4), WriteCondition.ifMatch(1)))
                .isInstanceOfSatisfying(TwinConflictException.class, e -> {
                    assertThat(e.currentRevision()).isEqualTo(OptionalLong.of(2));
                    assertThat(e.getMessage()).contains("is at revision 2").contains("If-Match: \"1\"");
                });
        assertThatThrownBy(() -> twin.delete(ID, JsonPointer.empty(), WriteCondition.ifMatch(7)))
                .isInstanceOf(TwinConflictException.class);
        assertThat(revision(twin.retrieve(ID).orElseThrow())).isEqualTo(2L);
        await().untilAsserted(() -> assertThat(events).hasSize(2)); // refused writes raise no event
    }

    @Test
    void badPathsAndValuesAreRefusedNamingThem() {
        twin.apply(laeq(1));
        assertThatThrownBy(() -> twin.modify(ID, JsonPointer.of("/features/noise/colour"), JsonValue.of(1),
                WriteCondition.any())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/features/noise/colour");
        assertThatThrownBy(() -> twin.modify(ID, JsonPointer.of("/thingId"), JsonValue.of("x"), WriteCondition.any()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/thingId");
        assertThatThrownBy(() -> twin.modify(ID, JsonPointer.of("/features/noise"), JsonValue.of(5),
                WriteCondition.any())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noise");
        assertThatThrownBy(() -> twin.modify(ID, JsonPointer.of("/policyId"), JsonValue.of("not a policy id"),
                WriteCondition.any())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> twin.delete(ID, JsonPointer.of("/policyId"), WriteCondition.any()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> twin.delete(ID, JsonPointer.of("/attributes/nothing"), WriteCondition.any()))
                .isInstanceOfSatisfying(TwinNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("things:resource.notfound"));
        assertThatThrownBy(() -> twin.modify(ID, JsonPointer.empty(),
                JsonObject.of("{\"thingId\":\"nl.demo.safety:other\"}"), WriteCondition.any()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differs");
        assertThat(revision(twin.retrieve(ID).orElseThrow())).isEqualTo(1L);
    }

    @Test
    void storeFailureRefusesTheWriteAndKeepsTheAcknowledgedState() {
        listen();
        Thing acknowledged = twin.apply(laeq(50));
        store.failWrites = true;
        assertThatThrownBy(() -> twin.apply(laeq(51))).isInstanceOfSatisfying(TwinStoreException.class, e -> {
            assertThat(e.getMessage()).contains("no space left");
            assertThat((Object) e.thingId()).isEqualTo(ID);
        });
        assertThatThrownBy(() -> twin.apply(ThingUpdate.merge(ThingId.of("nl.demo.safety", "new"), JsonObject.empty())))
                .isInstanceOf(TwinStoreException.class);
        assertThat(twin.retrieve(ID)).contains(acknowledged);
        assertThat(twin.size()).isEqualTo(1);
        assertThat(twin.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(twin.health().detail()).contains("no space left");

        store.failWrites = false;
        assertThat(revision(twin.apply(laeq(52)))).isEqualTo(2L);
        assertThat(twin.health().status()).isEqualTo(ComponentHealth.Status.UP);
        await().untilAsserted(() -> assertThat(events).hasSize(2));
    }

    @Test
    void aWriteReportedAsFailedThatLandedAnywayIsTakenOverWithAnEvent() {
        listen();
        twin.apply(laeq(50));
        store.failAfterWriting = true;
        assertThatThrownBy(() -> twin.apply(laeq(51))).isInstanceOf(TwinStoreException.class);
        assertThat(revision(twin.retrieve(ID).orElseThrow())).isEqualTo(1L);
        store.failAfterWriting = false;
        Thing next = twin.apply(laeq(52));
        assertThat(revision(next)).isEqualTo(3L); // rev 2 reached the store and is taken over first
        await().untilAsserted(() -> assertThat(events).hasSize(3));
        assertThat(events.get(1).event()).isInstanceOf(ThingModified.class);
        assertThat(events).extracting(TwinEvent::revision).containsExactly(1L, 2L, 3L);
    }

    @Test
    void unreadableStoreAtStartRefusesWritesUntilItCanBeRead() {
        twin.deactivate();
        store.things.put(ID, new nl.lantaarn.twin.spi.StoredThing(ID, 4, "{\"thingId\":\"" + ID + "\"}"));
        store.failReads = true;
        twin = new TwinServiceComponent(store);
        assertThat(twin.health().status()).isEqualTo(ComponentHealth.Status.DOWN);
        assertThat(twin.health().detail()).contains("no space left").contains("free some");
        assertThat(twin.retrieve(ID)).isEmpty();
        assertThatThrownBy(() -> twin.apply(laeq(1))).isInstanceOf(TwinStoreException.class);
        store.failReads = false;
        // the next write loads first, and continues from the stored revision
        assertThat(revision(twin.apply(laeq(2)))).isEqualTo(5L);
        assertThat(twin.health().status()).isEqualTo(ComponentHealth.Status.UP);
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

    @Test
    void aNegativeListenerWaitIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new TwinServiceComponent(store, 10, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("listenerWaitSeconds must be 0 or more, was -1");
    }

    @Test
    void concurrentWritersKeepEachThingsEventsInRevisionOrder() throws Exception {
        listen();
        int things = 20;
        int writesPerThing = 50;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < writesPerThing * things / 8 * 2; i++) {
                        ThingId id = ThingId.of("nl.demo.safety", "n-" + (i % things));
                        twin.apply(ThingUpdate.merge(id,
                                JsonObject.of("{\"features\":{\"noise\":{\"properties\":{\"laeq\":" + i + "}}}}")));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        int total = writesPerThing * things / 8 * 2 * 8;
        await().untilAsserted(() -> assertThat(events).hasSize(total));
        for (int n = 0; n < things; n++) {
            ThingId id = ThingId.of("nl.demo.safety", "n-" + n);
            List<Long> revisions = events.stream().filter(e -> e.thingId().equals(id)).map(TwinEvent::revision).toList();
            assertThat(revisions).as("%s", id).isSorted().doesNotHaveDuplicates().startsWith(1L);
            assertThat(store.things.get(id).revision()).isEqualTo(revisions.get(revisions.size() - 1));
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void keepingNoParsedThingsGivesTheSameThingsParsedFromTheirJson() {
        twin.deactivate();
        twin = new TwinServiceComponent(store, 0);
        Thing created = twin.apply(ThingUpdate.merge(ID,
                JsonObject.of("{\"attributes\":{\"zone\":\"stratumseind\"},\"features\":{\"noise\":{\"properties\":{\"laeq\":60}}}}")));
        Thing merged = twin.apply(laeq(72.4));
        assertThat(revision(merged)).isEqualTo(2L);
        assertThat(twin.retrieve(ID)).contains(merged).get().isNotSameAs(merged);
        assertThat(twin.list()).containsExactly(merged);
        assertThat(twin.retrieve(ID).orElseThrow().getCreated()).isEqualTo(created.getCreated());
        assertThatThrownBy(() -> twin.merge(ID, JsonPointer.empty(), JsonObject.empty(), WriteCondition.ifMatch(1)))
                .isInstanceOf(TwinConflictException.class);
    }

    @Test
    void aStoredThingThatCannotBeParsedIsAbsentCountedInHealthAndReplacedByTheNextWrite() {
        ThingId broken = ThingId.of("nl.demo.safety", "broken-1");
        store.things.put(broken, new nl.lantaarn.twin.spi.StoredThing(broken, 4, "{\"attributes\":"));
        twin.deactivate();
        twin = new TwinServiceComponent(store);
        assertThat(twin.retrieve(broken)).isEmpty();
        assertThat(twin.list()).isEmpty();
        assertThat(twin.health().detail()).contains("1 stored things could not be read", "broken-1");

        Thing written = twin.apply(ThingUpdate.merge(broken, JsonObject.of("{\"attributes\":{\"zone\":\"markt\"}}")));
        assertThat(revision(written)).isEqualTo(1L);
        assertThat(twin.retrieve(broken)).contains(written);
        assertThat(twin.size()).isEqualTo(1);
    }
}
