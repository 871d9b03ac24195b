package nl.lantaarn.routing.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * The pending reverts of {@code hub:command?revertAfter=}: per endpoint and thing, the reported values of the desired
 * keys from before the first command, and when to write them back as desired properties. Every new command of the
 * endpoint to the thing restarts the clock. Kept by the component (not the producer), so a reload of the route file
 * does not forget them; at shutdown the pending reverts are written at once, so nothing stays in its commanded state
 * for good. Thread safe.
 */
final class CommandReverts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandReverts.class);

    private static final class Pending {
        final ThingId thing;
        final String feature;
        /** Desired key to the reported value before the first command; JSON null when it had none. */
        final Map<String, JsonValue> before = new LinkedHashMap<>();
        ScheduledFuture<?> task;

        Pending(ThingId thing, String feature) {
            this.thing = thing;
            this.feature = feature;
        }
    }

    private final Supplier<TwinService> twin;
    private final Map<String, Pending> pending = new HashMap<>();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    CommandReverts(Supplier<TwinService> twin) {
        this.twin = twin;
    }

    /**
     * Notes a command about to be written.
     *
     * @param endpoint       the endpoint's URI (a reloaded route with the same endpoint continues its reverts)
     * @param reportedBefore the feature's reported properties before the command (empty when none)
     */
    synchronized void commanded(String endpoint, ThingId thing, String feature, JsonObject patch,
            JsonObject reportedBefore, Duration after) {
        if (closed) {
            return;
        }
        String key = endpoint + '\n' + thing;
        Pending entry = pending.computeIfAbsent(key, k -> new Pending(thing, feature));
        if (entry.task != null) {
            entry.task.cancel(false);
        }
        for (JsonField field : patch) {
            String name = field.getKeyName();
            // only the first command's "before" counts: later ones find the values it commanded
            entry.before.computeIfAbsent(name,
                    k -> reportedBefore.getValue(JsonPointer.of(k)).orElse(JsonValue.nullLiteral()));
        }
        entry.task = scheduler().schedule(() -> revert(key, entry), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Number of things waiting to be set back (for tests). */
    synchronized int size() {
        return pending.size();
    }

    private ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lantaarn-command-revert");
                thread.setDaemon(true);
                return thread;
            });
        }
        return scheduler;
    }

    private void revert(String key, Pending entry) {
        synchronized (this) {
            // a newer command replaced the task, or it was reverted already
            if (pending.get(key) != entry) {
                return;
            }
            pending.remove(key);
        }
        write(entry);
    }

    private void write(Pending entry) {
        JsonObjectBuilder desired = JsonObject.newBuilder();
        entry.before.forEach(desired::set);
        TwinService current = twin.get();
        try {
            if (current == null) {
                throw new IllegalStateException("no twin service is running");
            }
            current.merge(entry.thing, JsonPointer.of("/features/" + entry.feature + "/desiredProperties"),
                    desired.build(), WriteCondition.any());
        } catch (RuntimeException e) {
            // no exchange to fail here: the log is where an operator sees it
            LOG.warn("hub:command revertAfter: could not set {} of {} back to {}: {}; set it by hand", entry.feature,
                    entry.thing, desired.build(), e.toString());
        }
    }

    /** Writes every pending revert now and stops the timer. */
    @Override
    public void close() {
        List<Pending> now;
        synchronized (this) {
            closed = true;
            now = new ArrayList<>(pending.values());
            pending.clear();
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        if (!now.isEmpty()) {
            LOG.info("hub:command revertAfter: setting {} things back now because routing stops", now.size());
        }
        now.forEach(this::write);
    }
}
