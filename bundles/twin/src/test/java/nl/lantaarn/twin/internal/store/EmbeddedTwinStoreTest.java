package nl.lantaarn.twin.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.spi.StoredThing;

class EmbeddedTwinStoreTest {

    @TempDir
    Path home;

    private final List<EmbeddedTwinStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(EmbeddedTwinStore::close);
    }

    private Path file() {
        return home.resolve("data/twin/things.mv");
    }

    private EmbeddedTwinStore open(EmbeddedTwinStore.Settings settings) {
        EmbeddedTwinStore store = new EmbeddedTwinStore(settings);
        opened.add(store);
        return store;
    }

    /** Checkpoints only when the test says so. */
    private EmbeddedTwinStore.Settings manual() {
        return EmbeddedTwinStore.Settings.of(file()).withCheckpointMillis(3_600_000).withRetryMillis(50);
    }

    private static ThingId id(int n) {
        return ThingId.of("nl.store.test", "t-" + n);
    }

    private static StoredThing thing(int n, long revision) {
        return new StoredThing(id(n), revision, "{\"thingId\":\"" + id(n) + "\",\"_revision\":" + revision + "}");
    }

    private static Map<ThingId, Long> revisions(EmbeddedTwinStore store) {
        Map<ThingId, Long> all = new HashMap<>();
        store.loadAll(thing -> all.put(thing.thingId(), thing.revision()));
        return all;
    }

    @Test
    void createsItsFileUnderTheHomeAndReportsUp() {
        EmbeddedTwinStore store = open(manual());
        store.put(thing(1, 1));
        assertThat(file()).isRegularFile();
        assertThat(store.location()).isEqualTo(file().toString());
        assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.UP);
        assertThat(store.health().detail()).contains(file().toString());
        store.close();
        opened.remove(store);
        assertThat(store.journalFiles()).as("an orderly stop leaves no journal").isEmpty();
        assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.DOWN);
        assertThatThrownBy(() -> store.put(thing(2, 1))).isInstanceOf(TwinStoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void acknowledgedWritesInTheJournalSurviveACrash() {
        EmbeddedTwinStore store = open(manual());
        for (int n = 0; n < 100; n++) {
            store.put(thing(n, 1));
        }
        store.checkpoint(); // half in the file ...
        for (int n = 0; n < 100; n++) {
            store.put(thing(n, 2));
        }
        store.delete(id(5));
        store.abandon(); // ... half only in the journal, then the process dies

        EmbeddedTwinStore reopened = open(manual());
        Map<ThingId, Long> all = revisions(reopened);
        assertThat(all).hasSize(99).doesNotContainKey(id(5));
        assertThat(all.values()).containsOnly(2L);
        // the replayed journal went into the file: only the new run's first segment is left
        assertThat(reopened.journalFiles()).hasSize(1);
    }

    @Test
    void writesAfterRecoveringFromACrashSurviveAnOrderlyRestart() {
        EmbeddedTwinStore store = open(manual());
        store.put(thing(1, 1));
        store.checkpoint();
        store.put(thing(1, 2));
        store.abandon();
        // recovered, written, closed in order, opened again
        EmbeddedTwinStore recovered = open(manual());
        recovered.put(thing(1, 3));
        recovered.put(thing(2, 1));
        recovered.close();
        opened.remove(recovered);
        EmbeddedTwinStore next = open(manual());
        assertThat(revisions(next)).containsEntry(id(1), 3L).containsEntry(id(2), 1L);
        next.put(thing(1, 4));
        next.close();
        opened.remove(next);
        assertThat(revisions(open(manual()))).containsEntry(id(1), 4L);
    }

    @Test
    void checkpointsMoveTheJournalIntoTheFile() {
        EmbeddedTwinStore store = open(manual());
        store.put(thing(1, 1));
        store.put(thing(2, 1));
        List<Path> before = store.journalFiles();
        store.checkpoint();
        assertThat(store.journalFiles()).hasSize(1).doesNotContainAnyElementsOf(before);
        assertThat(store.get(id(1))).contains(thing(1, 1));
        store.abandon();
        assertThat(revisions(open(manual()))).containsOnlyKeys(id(1), id(2));
    }

    @Test
    void loadsTheSameThingsEncodedAsDecodedFromTheFileAndTheJournal() {
        EmbeddedTwinStore store = open(manual());
        store.put(thing(1, 1));
        store.put(thing(2, 1));
        store.put(new StoredThing(id(3), 4, "{\"name\":\"Straße\"}"));
        store.checkpoint();
        // after the checkpoint: a change, a deletion and a new thing only in the journal
        store.put(thing(1, 2));
        store.delete(id(2));
        store.put(thing(4, 1));
        Map<String, String> decoded = new HashMap<>();
        store.loadAll(stored -> decoded.put(stored.thingId().toString(), stored.revision() + " " + stored.json()));
        Map<String, String> encoded = new HashMap<>();
        store.loadAllEncoded((id, revision, json) -> assertThat(
                encoded.put(id, revision + " " + new String(json, StandardCharsets.UTF_8))).as(id).isNull());

        assertThat(encoded).isEqualTo(decoded).containsOnlyKeys(id(1).toString(), id(3).toString(), id(4).toString())
                .containsEntry(id(1).toString(), "2 " + thing(1, 2).json())
                .containsEntry(id(3).toString(), "4 {\"name\":\"Straße\"}");
    }

    @Test
    void aTornLastRecordIsIgnored() throws IOException {
        EmbeddedTwinStore store = open(manual());
        store.put(thing(1, 1));
        store.put(thing(2, 1));
        Path segment = store.journalFiles().get(0);
        store.abandon();
        ByteBuffer record = JournalRecord.put(thing(3, 1)).encode();
        record.limit(record.limit() - 5); // the crash came in the middle of a write
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            channel.write(record);
        }
        EmbeddedTwinStore reopened = open(manual());
        assertThat(revisions(reopened)).containsOnlyKeys(id(1), id(2));
        reopened.put(thing(3, 1));
        assertThat(reopened.get(id(3))).contains(thing(3, 1));
    }

    @Test
    void segmentsAlreadyInTheFileAreNotReplayedOverNewerState() throws IOException {
        EmbeddedTwinStore store = open(manual());
        store.put(thing(1, 1));
        Path first = store.journalFiles().get(0);
        byte[] old = Files.readAllBytes(first);
        store.checkpoint();
        store.put(thing(1, 2));
        store.checkpoint();
        store.abandon();
        Files.write(first, old); // a segment whose deletion did not happen before the stop
        assertThat(revisions(open(manual()))).containsEntry(id(1), 2L);
    }

    @Test
    void aFullDiskRefusesWritesClearlyAndResumesWhenThereIsSpace() {
        AtomicLong free = new AtomicLong(2_000);
        EmbeddedTwinStore store = open(manual().withOpener(
                segment -> new QuotaFileChannel(EmbeddedTwinStore.openSegment(segment), free)));
        int acknowledged = 0;
        TwinStoreException refusal = null;
        for (int n = 0; n < 100 && refusal == null; n++) {
            try {
                store.put(thing(n, 1));
                acknowledged++;
            } catch (TwinStoreException e) {
                refusal = e;
            }
        }
        assertThat(refusal).isNotNull();
        assertThat(refusal.getMessage()).contains(file().getParent().toString()).contains("No space left on device")
                .contains("not applied");
        assertThat(refusal.description()).contains("Free disk space").contains(file().getParent().toString());
        assertThat((Object) refusal.thingId()).isEqualTo(id(acknowledged));
        assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.DOWN);
        assertThat(store.health().detail()).contains("No space left on device").contains("Free disk space");
        assertThatThrownBy(() -> store.put(thing(1000, 1))).isInstanceOf(TwinStoreException.class);
        assertThat(store.get(id(acknowledged))).isEmpty(); // the refused write is not part of the state

        free.set(Long.MAX_VALUE / 2); // space was freed
        int first = acknowledged;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try {
                store.put(thing(first, 1));
            } catch (TwinStoreException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.UP);
        store.put(thing(first + 1, 1));
        store.abandon();

        // nothing acknowledged was lost or damaged by the torn record in between
        Map<ThingId, Long> all = revisions(open(manual()));
        for (int n = 0; n <= first + 1; n++) {
            assertThat(all).containsKey(id(n));
        }
    }

    @Test
    void anUnwritableFolderGivesAClearErrorAndHealsWhenFixed() throws IOException {
        Path blocker = home.resolve("data");
        Files.writeString(blocker, "a file where the data folder should be");
        EmbeddedTwinStore store = open(manual());

        assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.DOWN);
        assertThat(store.health().detail()).contains(file().getParent().toString()).contains("writable");
        assertThatThrownBy(() -> store.put(thing(1, 1))).isInstanceOfSatisfying(TwinStoreException.class, e -> {
            assertThat(e.getMessage()).contains("Cannot create the twin store folder " + file().getParent());
            assertThat(e.description()).contains("writable").contains("etc/nl.lantaarn.twin.store.cfg");
            assertThat((Object) e.thingId()).isEqualTo(id(1));
        });
        assertThatThrownBy(() -> store.loadAll(thing -> { })).isInstanceOf(TwinStoreException.class);
        assertThat(blocker).isRegularFile().hasContent("a file where the data folder should be");

        Files.delete(blocker);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try {
                store.put(thing(1, 1));
            } catch (TwinStoreException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(store.get(id(1))).contains(thing(1, 1));
        assertThat(store.health().status()).isEqualTo(ComponentHealth.Status.UP);
    }

    @Test
    void aFileInUseByAnotherStoreIsNamed() {
        open(manual()).put(thing(1, 1));
        EmbeddedTwinStore second = open(manual());
        assertThat(second.health().status()).isEqualTo(ComponentHealth.Status.DOWN);
        assertThatThrownBy(() -> second.get(id(1))).isInstanceOfSatisfying(TwinStoreException.class, e -> {
            assertThat(e.getMessage()).contains(file().toString()).contains("in use by another process");
            assertThat(e.description()).contains("lantaarn.home");
        });
    }

    @Test
    void syncModeWorksToo() {
        EmbeddedTwinStore store = open(manual().withSync(true));
        store.put(thing(1, 1));
        store.checkpoint();
        store.put(thing(1, 2));
        store.abandon();
        assertThat(revisions(open(manual().withSync(true)))).containsEntry(id(1), 2L);
    }
}
