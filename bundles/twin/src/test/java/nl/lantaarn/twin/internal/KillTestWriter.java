package nl.lantaarn.twin.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.store.EmbeddedTwinStoreAccess;

/**
 * The child process of {@link TwinKillTest}: the twin service on the embedded store in the given file, written by
 * several threads without pause; after each write returns it prints {@code ack <thingId> <revision>}. It never stops
 * by itself before its time limit: the test kills it.
 * <p>
 * Arguments: the store file, the number of writer threads, things per thread, the checkpoint interval in ms.
 */
public final class KillTestWriter {

    private KillTestWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int thingsPerThread = Integer.parseInt(args[2]);
        long checkpointMillis = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        TwinServiceComponent twin = new TwinServiceComponent(EmbeddedTwinStoreAccess.open(file, checkpointMillis));
        out.println("ready");
        out.flush();
        long deadline = System.nanoTime() + 120_000_000_000L; // a safety net should the test not kill it
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * thingsPerThread;
            Thread writer = new Thread(() -> {
                for (long i = 0; System.nanoTime() < deadline; i++) {
                    ThingId id = ThingId.of("nl.kill.test", "thing-" + (first + i % thingsPerThread));
                    Thing after = twin.apply(ThingUpdate.merge(id,
                            JsonObject.of("{\"features\":{\"noise\":{\"properties\":{\"laeq\":" + i + "}}}}")));
                    String ack = "ack " + id + " " + after.getRevision().orElseThrow().toLong();
                    synchronized (out) {
                        out.println(ack);
                        out.flush();
                    }
                }
            }, "writer-" + t);
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        System.exit(0);
    }
}
