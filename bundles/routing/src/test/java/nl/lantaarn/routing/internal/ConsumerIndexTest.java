package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.twin.api.TwinEvent;

class ConsumerIndexTest {

    private static final ThingId OTHER_POLE = ThingId.of("nl.eindhoven.safety:stratumseind-13");

    /** Every kind of filter, alone and combined, including zones and filters no event matches. */
    private static Map<String, HubFilter> filters() {
        Map<String, HubFilter> filters = new LinkedHashMap<>();
        filters.put("all", new HubFilter(null, null, null, null, null));
        filters.put("blank", new HubFilter(" ", "", null, " ", null, " "));
        filters.put("thing", new HubFilter(null, TestThings.POLE.toString(), null, null, null));
        filters.put("thing-again", new HubFilter(null, TestThings.POLE.toString(), null, null, null));
        filters.put("other-thing", new HubFilter(null, OTHER_POLE.toString(), null, null, null));
        filters.put("thing-noise", new HubFilter(null, TestThings.POLE.toString(), null, "noise", null));
        filters.put("thing-crowd", new HubFilter(null, TestThings.POLE.toString(), null, "crowd", null));
        filters.put("thing-wrong-namespace", new HubFilter("nl.eindhoven.lighting", TestThings.POLE.toString(), null,
                null, null));
        filters.put("namespace", new HubFilter("nl.eindhoven.safety", null, null, null, null));
        filters.put("namespace-lighting", new HubFilter("nl.eindhoven.lighting", null, null, null, null));
        filters.put("namespace-noise", new HubFilter("nl.eindhoven.safety", null, null, "noise", null));
        filters.put("namespace-zone", new HubFilter("nl.eindhoven.safety", null, null, null, null, "stratumseind"));
        filters.put("feature", new HubFilter(null, null, null, "noise", null));
        filters.put("feature-crowd", new HubFilter(null, null, null, "crowd", null));
        filters.put("feature-definition", new HubFilter(null, null, null, "noise",
                "org.fiware.smartdatamodels:NoiseLevelObserved"));
        filters.put("feature-zone", new HubFilter(null, null, null, "noise", null, "stratumseind"));
        filters.put("feature-other-zone", new HubFilter(null, null, null, "noise", null, "markt"));
        filters.put("domain", new HubFilter(null, null, "safety", null, null));
        filters.put("domain-lighting", new HubFilter(null, null, "lighting", null, null));
        filters.put("definition", new HubFilter(null, null, null, null, FeatureDefinitions.NOISE_LEVEL_OBSERVED));
        filters.put("zone", new HubFilter(null, null, null, null, null, "stratumseind"));
        filters.put("other-zone", new HubFilter(null, null, null, null, null, "markt"));
        return filters;
    }

    private static List<TwinEventView> events() {
        Thing plain = TestThings.noiseThing(TestThings.POLE, 60, 3);
        Thing zoned = plain.setAttribute(JsonPointer.of("zone"), JsonValue.of("stratumseind"));
        Thing lamp = TestThings.noiseThing(TestThings.LAMP, 50, 4);
        return List.of(
                TwinEventView.of(TestThings.created(plain)),
                TwinEventView.of(TestThings.created(zoned)),
                TwinEventView.of(TestThings.merged(zoned, "/features/noise/properties/laeq", JsonValue.of(60))),
                TwinEventView.of(TestThings.merged(zoned, "/attributes/zone", JsonValue.of("stratumseind"))),
                TwinEventView.of(TestThings.merged(zoned, "/features",
                        JsonObject.of("{\"noise\":{},\"crowd\":{}}"))),
                TwinEventView.of(TestThings.merged(TestThings.noiseThing(OTHER_POLE, 40, 2),
                        "/features/noise/properties/laeq", JsonValue.of(40))),
                TwinEventView.of(TestThings.created(lamp)),
                TwinEventView.of(TestThings.created(TestThings.noiseThing(ThingId.of("acme:sensor-1"), 60, 1))));
    }

    @Test
    void matchesTheSameConsumersAsTestingEveryFilterEachOnce() {
        Map<String, HubFilter> filters = filters();
        ConsumerIndex<String> index = ConsumerIndex.empty();
        for (Map.Entry<String, HubFilter> e : filters.entrySet()) {
            index = index.with(e.getKey(), e.getValue());
        }

        for (TwinEventView view : events()) {
            List<String> expected = new ArrayList<>();
            filters.forEach((name, filter) -> {
                if (filter.matches(view)) {
                    expected.add(name);
                }
            });
            List<String> got = new ArrayList<>();
            int matched = index.forEachMatch(view, (name, v) -> {
                assertThat(v).isSameAs(view);
                got.add(name);
            });

            assertThat(got).as("consumers matched by %s", view).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(matched).isEqualTo(expected.size());
        }
    }

    @Test
    void aCreatedThingInItsZoneReachesTheZoneAndThingFiltersAndNotTheOthers() {
        Thing zoned = TestThings.noiseThing(TestThings.POLE, 60, 3)
                .setAttribute(JsonPointer.of("zone"), JsonValue.of("stratumseind"));
        ConsumerIndex<String> index = ConsumerIndex.empty();
        for (Map.Entry<String, HubFilter> e : filters().entrySet()) {
            index = index.with(e.getKey(), e.getValue());
        }

        List<String> got = new ArrayList<>();
        index.forEachMatch(TwinEventView.of(TestThings.created(zoned)), (name, v) -> got.add(name));

        assertThat(got).containsExactlyInAnyOrder("all", "blank", "thing", "thing-again", "thing-noise", "namespace",
                "namespace-noise", "namespace-zone", "feature", "feature-definition", "feature-zone", "domain",
                "definition", "zone");
    }

    @Test
    void consumersOfOnePlaceKeepTheOrderTheyWereAddedIn() {
        ConsumerIndex<String> index = ConsumerIndex.empty();
        HubFilter byThing = new HubFilter(null, TestThings.POLE.toString(), null, null, null);
        for (int i = 0; i < 5; i++) {
            index = index.with("route-" + i, byThing);
        }
        List<String> got = new ArrayList<>();
        index.forEachMatch(TwinEventView.of(TestThings.created(TestThings.noiseThing(TestThings.POLE, 60, 1))),
                (name, v) -> got.add(name));

        assertThat(got).containsExactly("route-0", "route-1", "route-2", "route-3", "route-4");
    }

    @Test
    void removingAConsumerLeavesTheSnapshotBeingDispatchedAlone() {
        HubFilter byThing = new HubFilter(null, TestThings.POLE.toString(), null, null, null);
        ConsumerIndex<String> before = ConsumerIndex.<String>empty().with("a", byThing).with("b", byThing)
                .with("c", new HubFilter(null, null, null, "noise", null));
        TwinEventView view = TwinEventView.of(TestThings.created(TestThings.noiseThing(TestThings.POLE, 60, 1)));
        AtomicReference<ConsumerIndex<String>> current = new AtomicReference<>(before);

        List<String> got = new ArrayList<>();
        before.forEachMatch(view, (name, v) -> {
            // a route stopping while the event is being handed out: a new snapshot, the old one goes on
            current.updateAndGet(index -> index.without("b").without("c"));
            got.add(name);
        });

        assertThat(got).containsExactlyInAnyOrder("a", "b", "c");
        List<String> after = new ArrayList<>();
        current.get().forEachMatch(view, (name, v) -> after.add(name));
        assertThat(after).containsExactly("a");
        assertThat(current.get().without("a").isEmpty()).isTrue();
        assertThat(current.get().without("not there")).isSameAs(current.get());
        assertThat(before.size()).isEqualTo(3);
    }

    @Test
    void aConsumerAddedTwiceIsHandedTheEventTwiceAndRemovedOnceAtATime() {
        HubFilter all = new HubFilter(null, null, null, null, null);
        ConsumerIndex<String> index = ConsumerIndex.<String>empty().with("a", all).with("a", all);
        TwinEventView view = TwinEventView.of(TestThings.created(TestThings.noiseThing(TestThings.POLE, 60, 1)));

        assertThat(index.forEachMatch(view, (name, v) -> { })).isEqualTo(2);
        assertThat(index.without("a").forEachMatch(view, (name, v) -> { })).isEqualTo(1);
    }

    @Test
    void dispatchingWhileRoutesStartAndStopOnOtherThreadsNeverFails() throws Exception {
        AtomicReference<ConsumerIndex<String>> current = new AtomicReference<>(ConsumerIndex.empty());
        TwinEvent event = TestThings.created(TestThings.noiseThing(TestThings.POLE, 60, 1));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread churn = new Thread(() -> {
            try {
                for (int i = 0; i < 2_000; i++) {
                    String name = "route-" + (i % 50);
                    HubFilter filter = i % 3 == 0 ? new HubFilter(null, TestThings.POLE.toString(), null, null, null)
                            : i % 3 == 1 ? new HubFilter("nl.eindhoven.safety", null, null, null, null)
                                    : new HubFilter(null, null, null, "noise", null);
                    current.updateAndGet(index -> index.with(name, filter));
                    if (i % 2 == 1) {
                        current.updateAndGet(index -> index.without(name));
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.countDown();
            }
        });
        churn.start();
        long dispatched = 0;
        do {
            ConsumerIndex<String> snapshot = current.get();
            int[] handed = new int[1];
            int matched = snapshot.forEachMatch(TwinEventView.of(event), (name, v) -> handed[0]++);
            assertThat(matched).isEqualTo(handed[0]).isEqualTo(snapshot.size());
            dispatched++;
        } while (done.getCount() > 0);
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
        assertThat(dispatched).isPositive();
        assertThat(current.get().size()).isEqualTo(1_000);
    }
}
