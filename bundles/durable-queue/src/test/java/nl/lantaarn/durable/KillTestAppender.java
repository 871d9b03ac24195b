package nl.lantaarn.durable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link DurableKillTest}: appends "&lt;round&gt;-&lt;n&gt;" entries to two queues for ever, waits
 * for each group's commit and then prints {@code ack <queue> <value>} per entry; removes every third entry after it
 * was acknowledged (printing {@code removed <queue> <value>} first), as an outbox does after delivery.
 */
public final class KillTestAppender {

    private KillTestAppender() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String round = args[1];
        DurableStore store = DurableStore.open(file, DurableStore.Options.defaults());
        DurableQueue[] queues = {store.queue("a", 1_000_000), store.queue("b", 1_000_000)};
        System.out.println("ready");
        List<long[]> toRemove = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        for (long n = 0;; n++) {
            DurableQueue queue = queues[(int) (n % 2)];
            String value = round + "-" + n;
            long sequence = queue.append(value.getBytes(StandardCharsets.UTF_8));
            out.append("ack ").append(queue.name()).append(' ').append(value).append('\n');
            if (n % 3 == 0) {
                toRemove.add(new long[] {n % 2, sequence, n});
            }
            if (n % 10 == 9) {
                if (!queue.awaitCommitted(Duration.ofSeconds(30))) {
                    System.out.println("commit timed out");
                    return;
                }
                System.out.print(out);
                System.out.flush();
                out.setLength(0);
                for (long[] remove : toRemove) {
                    System.out.println("removed " + queues[(int) remove[0]].name() + " " + round + "-" + remove[2]);
                    queues[(int) remove[0]].remove(remove[1]);
                }
                toRemove.clear();
            }
        }
    }
}
