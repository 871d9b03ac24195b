package nl.lantaarn.search.internal;

import static nl.lantaarn.search.internal.TestThings.noise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.AttributeModified;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingDeleted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinJsonSource;

/** The index follows the twin: initial listing, then events of every kind, deletions included. */
class SearchIndexTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path zonesFolder;
    private ZoneRegistry zones;
    private SearchIndex index;

    @BeforeEach
    void start() {
        zones = new ZoneRegistry(zonesFolder, 60_000);
        index = new SearchIndex(List.of(noise("n-1", 51.44, 5.47, 60, "a", 1), noise("n-2", 51.44, 5.47, 60, "a", 1)),
                zones, 1024);
    }

    @AfterEach
    void stop() {
        index.close();
        zones.close();
    }

    private List<String> search(String filter) {
        return index.engine().search(SearchRequest.filter(filter)).thingIds();
    }

    private static TwinEvent created(Thing thing) {
        return new TwinEvent(ThingCreated.of(thing, thing.getRevision().orElseThrow().toLong(), NOW,
                DittoHeaders.empty(), null), thing);
    }

    private static TwinEvent deleted(Thing last, long revision) {
        return new TwinEvent(ThingDeleted.of(last.getEntityId().orElseThrow(), revision, NOW, DittoHeaders.empty(),
                null), last);
    }

    @Test
    void followsCreationsChangesAndDeletions() {
        assertThat(search(null)).containsExactly("nl.eindhoven.safety:n-1", "nl.eindhoven.safety:n-2");
        Thing loud = noise("n-1", 51.44, 5.47, 85, "a", 2);
        // an event kind the index has no special case for: the thing after the change is what counts
        index.enqueue(new TwinEvent(AttributeModified.of(ThingId.of("nl.eindhoven.safety:n-1"),
                JsonPointer.of("zone"), JsonValue.of("a"), 2, NOW, DittoHeaders.empty(), null), loud));
        index.enqueue(created(noise("n-3", 51.44, 5.47, 90, "b", 1)));
        index.enqueue(deleted(noise("n-2", 51.44, 5.47, 60, "a", 1), 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> index.applied() == 3);
        assertThat(search(null)).containsExactly("nl.eindhoven.safety:n-1", "nl.eindhoven.safety:n-3");
        assertThat(search("gt(features/noise/properties/laeq,80)"))
                .containsExactly("nl.eindhoven.safety:n-1", "nl.eindhoven.safety:n-3");
        assertThat(search("eq(attributes/zone,\"a\")")).containsExactly("nl.eindhoven.safety:n-1");
        assertThat(index.health().detail()).startsWith("2 things indexed");
    }

    @Test
    void anOlderRevisionDoesNotOverwriteANewerOne() {
        index.enqueue(new TwinEvent(AttributeModified.of(ThingId.of("nl.eindhoven.safety:n-1"),
                JsonPointer.of("zone"), JsonValue.of("b"), 5, NOW, DittoHeaders.empty(), null),
                noise("n-1", 51.44, 5.47, 60, "b", 5)));
        await().atMost(Duration.ofSeconds(10)).until(() -> index.applied() == 1);
        index.enqueue(new TwinEvent(AttributeModified.of(ThingId.of("nl.eindhoven.safety:n-1"),
                JsonPointer.of("zone"), JsonValue.of("c"), 4, NOW, DittoHeaders.empty(), null),
                noise("n-1", 51.44, 5.47, 60, "c", 4)));
        await().atMost(Duration.ofSeconds(10)).until(() -> index.applied() == 2);
        assertThat(search("eq(attributes/zone,\"b\")")).containsExactly("nl.eindhoven.safety:n-1");
    }

    @Test
    void aThingCreatedAnewAfterDeletionStartsOver() {
        // in one batch: deleted at revision 2, created again at revision 1, changed at revision 2
        List<ThingIndex.Change> changes = SearchIndex.coalesce(List.of(
                deleted(noise("n-1", 51.44, 5.47, 60, "a", 1), 2),
                created(noise("n-1", 51.44, 5.47, 61, "x", 1)),
                new TwinEvent(AttributeModified.of(ThingId.of("nl.eindhoven.safety:n-1"), JsonPointer.of("zone"),
                        JsonValue.of("y"), 2, NOW, DittoHeaders.empty(), null), noise("n-1", 51.44, 5.47, 61, "y", 2))));
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).reset()).isTrue();
        index.index().apply(List.of(new ThingIndex.Change(null, 0, noise("n-1", 51.44, 5.47, 60, "a", 9), false)));
        index.index().apply(changes);
        assertThat(search("eq(attributes/zone,\"y\")")).containsExactly("nl.eindhoven.safety:n-1");
        assertThat(search("exists(attributes/zone)")).hasSize(2);
    }

    @Test
    void aChangedThingLosesThePathsItNoLongerHas() {
        index.index().upsert(TestThings.thing("{\"thingId\":\"nl.eindhoven.safety:n-1\",\"attributes\":{\"x\":1}}", 3));
        assertThat(search("exists(features/noise)")).containsExactly("nl.eindhoven.safety:n-2");
        assertThat(search("exists(attributes/location)")).containsExactly("nl.eindhoven.safety:n-2");
        assertThat(index.engine().search(SearchRequest.filter(null).withNear("51.44,5.47,10")).thingIds())
                .containsExactly("nl.eindhoven.safety:n-2");
        assertThat(search("eq(attributes/x,1)")).containsExactly("nl.eindhoven.safety:n-1");
        // slots are reused after a removal
        index.index().remove("nl.eindhoven.safety:n-1", 4);
        index.index().upsert(noise("n-9", 51.44, 5.47, 60, "a", 1));
        assertThat(search("eq(attributes/x,1)")).isEmpty();
        assertThat(search(null)).containsExactly("nl.eindhoven.safety:n-2", "nl.eindhoven.safety:n-9");
    }

    @Test
    void indexesTheStoredJsonOfThingsAsItIndexesTheThings() {
        List<Thing> things = List.of(noise("n-1", 51.44, 5.47, 60, "a", 3), noise("n-2", 51.45, 5.48, 75, "b", 1),
                noise("n-3", 51.46, 5.49, 90, "a", 7));
        TwinJsonSource stored = sink -> things.forEach(thing -> sink.accept(thing.getEntityId().orElseThrow().toString(),
                thing.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial()).toString()));
        SearchIndex fromJson = new SearchIndex(stored, zones, 1024);
        SearchIndex fromThings = new SearchIndex(things, zones, 1024);
        try {
            for (String filter : List.of("gt(features/noise/properties/laeq,70)", "eq(attributes/zone,\"a\")",
                    "gt(_revision,2)", "exists(_modified)", "exists(_created)", "exists(features/noise)",
                    "like(thingId,\"*n-2\")")) {
                SearchRequest request = SearchRequest.filter(filter);
                assertThat(fromJson.engine().search(request).thingIds()).as(filter)
                        .isEqualTo(fromThings.engine().search(request).thingIds());
            }
            SearchRequest near = SearchRequest.filter(null).withNear("51.45,5.48,100");
            assertThat(fromJson.engine().search(near).thingIds()).containsExactly("nl.eindhoven.safety:n-2");
            assertThat(fromJson.engine().search(SearchRequest.filter("gt(_revision,2)")).thingIds())
                    .containsExactly("nl.eindhoven.safety:n-1", "nl.eindhoven.safety:n-3");
        } finally {
            fromJson.close();
            fromThings.close();
        }
    }
}
