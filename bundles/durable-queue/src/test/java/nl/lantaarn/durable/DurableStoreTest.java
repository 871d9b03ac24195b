package nl.lantaarn.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableStoreTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> values(DurableQueue queue) {
        return queue.entries(0, Long.MAX_VALUE, Integer.MAX_VALUE).stream()
                .map(e -> new String(e.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void entriesSurviveCloseAndReopenInOrderAndSequencesGoOn() throws Exception {
        Path file = dir.resolve("data/routing/outbox.mv");
        long removed;
        long last;
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            DurableQueue queue = store.queue("route-a", 10);
            queue.append(bytes("one"));
            removed = queue.append(bytes("two"));
            last = queue.append(bytes("three"));
            queue.remove(removed);
            queue.remove(removed); // again: nothing happens
            assertThat(queue.size()).isEqualTo(2);
        }
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            assertThat(store.backlog()).containsExactly(Map.entry("route-a", 2));
            DurableQueue queue = store.queue("route-a", 10);
            assertThat(values(queue)).containsExactly("one", "three");
            assertThat(queue.size()).isEqualTo(2);
            assertThat(queue.append(bytes("four"))).isGreaterThan(last);
            assertThat(store.queue("route-b", 10).size()).isZero();
        }
    }

    @Test
    void aFullQueueRefusesWithAReasonUntilAnEntryIsRemoved() throws Exception {
        try (DurableStore store = DurableStore.open(dir.resolve("outbox.mv"), DurableStore.Options.defaults())) {
            DurableQueue queue = store.queue("webhook-police", 2);
            long first = queue.append(bytes("1"));
            queue.append(bytes("2"));
            assertThatThrownBy(() -> queue.append(bytes("3"))).isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("webhook-police").hasMessageContaining("full (2 entries");
            assertThat(queue.size()).isEqualTo(2);
            queue.remove(first);
            queue.append(bytes("3"));
            assertThat(values(queue)).containsExactly("2", "3");
            // a larger capacity applies to the next append; a smaller one keeps what is there
            store.queue("webhook-police", 1);
            assertThatThrownBy(() -> queue.append(bytes("4"))).isInstanceOf(QueueFullException.class);
            assertThat(queue.size()).isEqualTo(2);
        }
    }

    @Test
    void whatWasCommittedIsThereAfterAStopWithoutClose() throws Exception {
        Path file = dir.resolve("outbox.mv");
        DurableStore store = DurableStore.open(file, DurableStore.Options.defaults());
        DurableQueue queue = store.queue("q", 100);
        for (int i = 0; i < 50; i++) {
            queue.append(bytes("e" + i));
        }
        assertThat(queue.awaitCommitted(Duration.ofSeconds(30))).isTrue();
        store.closeLikeAKill();
        try (DurableStore reopened = DurableStore.open(file, DurableStore.Options.defaults())) {
            assertThat(values(reopened.queue("q", 100))).hasSize(50).startsWith("e0", "e1").endsWith("e49");
        }
    }

    @Test
    void pagesThroughABacklogBelowABound() throws Exception {
        try (DurableStore store = DurableStore.open(dir.resolve("outbox.mv"), DurableStore.Options.defaults())) {
            DurableQueue queue = store.queue("q", 100);
            for (int i = 0; i < 10; i++) {
                queue.append(bytes("e" + i));
            }
            long bound = queue.nextSequence();
            queue.append(bytes("later"));
            List<String> seen = new ArrayList<>();
            long from = 0;
            while (true) {
                List<DurableQueue.Entry> page = queue.entries(from, bound, 3);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(e -> seen.add(new String(e.value(), StandardCharsets.UTF_8)));
                from = page.get(page.size() - 1).sequence() + 1;
            }
            assertThat(seen).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        }
    }

    @Test
    void concurrentAppendersLoseNothing() throws Exception {
        Path file = dir.resolve("outbox.mv");
        int threads = 4;
        int each = 2_000;
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            DurableQueue queue = store.queue("q", threads * each);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        queue.append(bytes(thread + ":" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(queue.size()).isEqualTo(threads * each);
        }
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            List<String> values = values(store.queue("q", threads * each));
            assertThat(values).hasSize(threads * each).doesNotHaveDuplicates();
            // per appender, in the order it appended
            for (int t = 0; t < threads; t++) {
                String prefix = t + ":";
                assertThat(values.stream().filter(v -> v.startsWith(prefix))
                        .map(v -> Integer.parseInt(v.substring(prefix.length()))).toList()).isSorted();
            }
        }
    }

    @Test
    void theFileDoesNotGrowWithWhatPassedThrough() throws Exception {
        Path file = dir.resolve("outbox.mv");
        byte[] kilobyte = new byte[1024];
        // 64 MB pass through a queue that never holds more than 100 entries
        try (DurableStore store = DurableStore.open(file, new DurableStore.Options(1, 100, 200, 4))) {
            DurableQueue queue = store.queue("q", 1_000);
            List<Long> held = new ArrayList<>();
            for (int i = 0; i < 64 * 1024; i++) {
                held.add(queue.append(kilobyte));
                if (held.size() > 100) {
                    queue.remove(held.remove(0));
                }
                if (i % 1000 == 0) {
                    queue.awaitCommitted(Duration.ofSeconds(30));
                }
            }
            // the queue holds 100 KB; once it is idle the live chunks move to the start and the file is cut
            await("the file shrinks to about what the queue holds").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(Files.size(file)).isLessThan(2L * 1024 * 1024));
            assertThat(queue.size()).isEqualTo(100);
        }
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            assertThat(store.queue("q", 1_000).size()).as("what the queue held survives the move").isEqualTo(100);
        }
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefusedNamingTheReason() throws Exception {
        Path file = dir.resolve("outbox.mv");
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            assertThatThrownBy(() -> DurableStore.open(file, DurableStore.Options.defaults()))
                    .isInstanceOf(DurableStoreException.class).hasMessageContaining(file.toString());
        }
    }

    @Test
    void entriesAreDatedByTimeMarksAndRemovedByAgeOrContentAcrossAReopen() throws Exception {
        Path file = dir.resolve("outbox.mv");
        Instant start = Instant.now();
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            DurableQueue queue = store.queue("alerts", 100);
            queue.append(bytes("thing nl.x.safety:s-1"));
            queue.append(bytes("thing nl.x.safety:s-2"));
            queue.awaitCommitted(Duration.ofSeconds(5));
        }
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            // an orphan queue (no owner opened it in this run) takes part too
            List<DurableQueue> all = store.allQueues();
            assertThat(all).extracting(DurableQueue::name).containsExactly("alerts");
            DurableQueue queue = all.get(0);
            assertThat(queue.appendedBy(1)).isAfterOrEqualTo(start).isBefore(Instant.now().plusSeconds(3));

            // nothing is older than a day
            assertThat(queue.removeIf((by, value) -> by != null && by.isBefore(start.minus(Duration.ofDays(1)))))
                    .isZero();
            assertThat(queue.removeIf((by, value) -> new String(value, StandardCharsets.UTF_8).contains("s-2")))
                    .isEqualTo(1);
            // seen from a day later, the rest is expired
            Instant dayLater = Instant.now().plus(Duration.ofDays(1));
            assertThat(queue.removeIf((by, value) -> by != null && by.isBefore(dayLater))).isEqualTo(1);
            assertThat(queue.size()).isZero();
            queue.awaitCommitted(Duration.ofSeconds(5));
        }
        try (DurableStore store = DurableStore.open(file, DurableStore.Options.defaults())) {
            assertThat(store.backlog()).isEmpty();
        }
    }
}
