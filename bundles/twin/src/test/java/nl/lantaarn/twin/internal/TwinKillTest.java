package nl.lantaarn.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.twin.internal.store.EmbeddedTwinStoreAccess;
import nl.lantaarn.twin.spi.StoredThing;
import nl.lantaarn.twin.spi.TwinStore;

/**
 * An acknowledged write survives {@code kill -9}: a child JVM ({@link KillTestWriter}) writes a stream of changes and
 * prints each acknowledged revision; the test kills it with SIGKILL in the middle of the stream, reopens the store and
 * finds every thing at the last acknowledged revision or later.
 */
class TwinKillTest {

    private static final int THREADS = 4;
    private static final int THINGS_PER_THREAD = 25;

    @TempDir
    Path home;

    @Test
    void everyAcknowledgedRevisionSurvivesSigkill() throws Exception {
        Path file = home.resolve("data/twin/things.mv");
        Map<ThingId, Long> acked = new ConcurrentHashMap<>();
        // each round starts from what the killed round before it left, after an orderly open and close by the check;
        // the kill comes at a different point of the stream each time (checkpoints run every 200 ms)
        for (int acks : new int[] {2_000, 15_000, 6_000}) {
            runAndKill(file, acked, acks);
            assertEveryAckIsStored(file, acked);
        }
    }

    private static void runAndKill(Path file, Map<ThingId, Long> acked, int killAfterAcks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KillTestWriter.class.getName(), file.toString(), Integer.toString(THREADS),
                Integer.toString(THINGS_PER_THREAD), "200");
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = builder.start();
        AtomicLong acks = new AtomicLong();
        Map<ThingId, Long> thisRun = new HashMap<>();
        StringBuilder unexpected = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("ack ")) {
                        String[] parts = line.split(" ");
                        ThingId id = ThingId.of(parts[1]);
                        long revision = Long.parseLong(parts[2]);
                        synchronized (thisRun) {
                            thisRun.merge(id, revision, Math::max);
                        }
                        acks.incrementAndGet();
                    } else if (!line.equals("ready")) {
                        unexpected.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the pipe closes when the child is killed
            }
        }, "kill-test-reader");
        reader.start();
        try {
            await("the child acknowledges writes").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
                    .until(() -> acks.get() >= killAfterAcks || !child.isAlive());
            assertThat(child.isAlive()).as("the writer is still writing when it is killed").isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint, no close
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
            reader.join(TimeUnit.MINUTES.toMillis(1));
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(unexpected).as("child output").isEmpty();
        assertThat(thisRun).as("acknowledged writes").isNotEmpty();
        synchronized (thisRun) {
            thisRun.forEach((id, revision) -> acked.merge(id, revision, Math::max));
        }
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString()).toList())
                .as("what the killed run left").contains("things.mv");
    }

    private static void assertEveryAckIsStored(Path file, Map<ThingId, Long> acked) {
        TwinStore store = EmbeddedTwinStoreAccess.open(file, 3_600_000);
        try {
            Map<ThingId, StoredThing> stored = new HashMap<>();
            store.loadAll(thing -> stored.put(thing.thingId(), thing));
            assertThat(stored.keySet()).containsAll(acked.keySet());
            acked.forEach((id, revision) -> assertThat(stored.get(id).revision())
                    .as("stored revision of %s, acknowledged %s", id, revision).isGreaterThanOrEqualTo(revision));

            // and the twin service loads the same: each thing whole, at that revision or later, with its last value
            TwinServiceComponent twin = new TwinServiceComponent(store);
            try {
                acked.forEach((id, revision) -> {
                    Thing thing = twin.retrieve(id).orElseThrow();
                    assertThat(thing.getRevision().orElseThrow().toLong()).isGreaterThanOrEqualTo(revision);
                    assertThat(thing.toJson().getValue(JsonPointer.of("/features/noise/properties/laeq")))
                            .hasValueSatisfying(value -> assertThat(value.isNumber()).isTrue());
                });
                assertThat(twin.list()).extracting(t -> t.getEntityId().orElseThrow())
                        .containsAll(List.copyOf(acked.keySet()));
            } finally {
                twin.deactivate();
            }
        } finally {
            EmbeddedTwinStoreAccess.close(store);
        }
    }
}
