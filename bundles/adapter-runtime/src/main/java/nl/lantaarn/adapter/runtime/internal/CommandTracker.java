package nl.lantaarn.adapter.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.api.Acknowledgement;
import nl.lantaarn.adapter.api.ThingCommand;
import nl.lantaarn.adapter.api.VendorCommand;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * The commands of one adapter instance that wait for the vendor's acknowledgement, by correlation id. Each command
 * ends exactly once, as acknowledged or failed: whoever removes it from {@link #pending} first (an acknowledgement, the
 * last timeout, a stop) writes its final {@code commandStatus} to the thing; a failure is also kept as a dead letter.
 * <p>
 * Threads: {@link #send} and {@link #acknowledged} run on the instance's worker, timeouts on the runtime's timer,
 * {@link #fail} also on the twin listener's thread.
 */
final class CommandTracker {

    private static final Logger LOG = LoggerFactory.getLogger(CommandTracker.class);
    /** Commands waiting for an acknowledgement per instance; more are failed at once. */
    static final int MAX_PENDING = 10_000;

    static final String STATUS_PROPERTY = "commandStatus";
    static final String ACKNOWLEDGED = "acknowledged";
    static final String FAILED = "failed";

    /** A command sent and waiting. Its fields change under its own lock. */
    private static final class Pending {
        final ThingCommand command;
        final List<VendorCommand> sent;
        int attempts = 1;
        ScheduledFuture<?> timeout;

        Pending(ThingCommand command, List<VendorCommand> sent) {
            this.command = command;
            this.sent = sent;
        }
    }

    private final String instanceId;
    private final RuntimeContext context;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    final LongAdder sentCount = new LongAdder();
    final LongAdder acknowledgedCount = new LongAdder();
    final LongAdder failedCount = new LongAdder();
    final LongAdder retriedCount = new LongAdder();
    /** Acknowledgements of commands that had ended already (late, duplicate or unknown). */
    final LongAdder unmatchedCount = new LongAdder();

    CommandTracker(String instanceId, RuntimeContext context) {
        this.instanceId = instanceId;
        this.context = context;
    }

    int pendingCount() {
        return pending.size();
    }

    /** Publishes what the adapter made of a command and waits for its acknowledgement. On the worker. */
    void send(ThingCommand command, List<VendorCommand> commands) {
        if (commands.isEmpty()) {
            // nothing had to be sent (e.g. the controller is in that state already): done
            acknowledgedCount.increment();
            writeStatus(command, ACKNOWLEDGED, "the adapter had nothing to send");
            return;
        }
        MqttConnection mqtt = context.mqtt;
        if (mqtt == null) {
            fail(command, commands.get(0), "the hub's MQTT connection is not available to send the command");
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            fail(command, commands.get(0), MAX_PENDING + " commands of adapter instance " + instanceId
                    + " are waiting for an acknowledgement already: the vendor is not answering");
            return;
        }
        Pending entry = new Pending(command, List.copyOf(commands));
        synchronized (entry) {
            pending.put(command.correlationId(), entry);
            sentCount.increment();
            publish(mqtt, entry);
            schedule(entry);
        }
    }

    /** A vendor's answer. On the worker. */
    void acknowledged(Acknowledgement ack) {
        Pending entry = pending.remove(ack.correlationId());
        if (entry == null) {
            unmatchedCount.increment();
            LOG.debug("Adapter instance {}: acknowledgement of {} matches no waiting command", instanceId,
                    ack.correlationId());
            return;
        }
        cancel(entry);
        if (ack.isOk()) {
            acknowledgedCount.increment();
            writeStatus(entry.command, ACKNOWLEDGED, null);
        } else {
            fail(entry.command, entry.sent.get(0), "the vendor answered error: "
                    + ack.reason().orElse("no reason given"));
        }
    }

    /**
     * A command that ends as failed without being (or staying) pending: rejected, not deliverable, instance stopped.
     *
     * @param sent the vendor command, for the dead letter's origin and payload; {@code null} when none was made
     */
    void fail(ThingCommand command, VendorCommand sent, String reason) {
        failedCount.increment();
        writeStatus(command, FAILED, reason);
        String origin;
        byte[] payload;
        if (sent != null) {
            origin = sent.topic();
            payload = sent.payload();
        } else {
            origin = "twin:" + command.thingId() + "/features/" + command.feature().orElse("") + "/desiredProperties";
            payload = command.desiredProperties().map(JsonObject::toString)
                    .orElseGet(() -> command.message().map(Object::toString).orElse("")).getBytes(StandardCharsets.UTF_8);
        }
        try {
            context.deadLetters.record(instanceId, origin, "command " + command.correlationId() + " to "
                    + command.thingId() + " failed: " + reason, payload, Instant.now());
        } catch (RuntimeException e) {
            LOG.error("Cannot keep a dead letter of the failed command {} of adapter instance {}: {}",
                    command.correlationId(), instanceId, e.toString());
        }
    }

    /** Fails every waiting command, e.g. when the instance stops and no acknowledgement can arrive any more. */
    void failAll(String reason) {
        for (String id : List.copyOf(pending.keySet())) {
            Pending entry = pending.remove(id);
            if (entry != null) {
                cancel(entry);
                fail(entry.command, entry.sent.get(0), reason);
            }
        }
    }

    private void timedOut(Pending entry) {
        int retries = context.settings.commandRetries();
        boolean noConnection;
        synchronized (entry) {
            if (pending.get(entry.command.correlationId()) != entry) {
                return; // acknowledged in the meantime
            }
            MqttConnection mqtt = context.mqtt;
            noConnection = mqtt == null;
            if (entry.attempts <= retries && mqtt != null) {
                entry.attempts++;
                retriedCount.increment();
                publish(mqtt, entry);
                schedule(entry);
                return;
            }
        }
        if (pending.remove(entry.command.correlationId(), entry)) {
            long millis = context.settings.commandTimeout().toMillis();
            fail(entry.command, entry.sent.get(0), "no acknowledgement within "
                    + (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0))
                    + " s after " + entry.attempts + (entry.attempts == 1 ? " attempt" : " attempts")
                    + " (commandTimeoutSeconds, commandRetries in etc/nl.lantaarn.adapter.runtime.cfg)"
                    + (noConnection ? "; the hub's MQTT connection was not available to send it again" : ""));
        }
    }

    private void publish(MqttConnection mqtt, Pending entry) {
        for (VendorCommand command : entry.sent) {
            try {
                // a failed publication is not final: the timeout sends it again
                mqtt.publish(command.topic(), command.payload(), command.qos(), false);
            } catch (RuntimeException e) {
                LOG.debug("Adapter instance {}: cannot publish command on {}: {}", instanceId, command.topic(),
                        e.toString());
            }
        }
    }

    private void schedule(Pending entry) {
        try {
            entry.timeout = context.scheduler.schedule(() -> timedOut(entry),
                    context.settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the runtime is closing; it fails what is pending
        }
    }

    private static void cancel(Pending entry) {
        synchronized (entry) {
            if (entry.timeout != null) {
                entry.timeout.cancel(false);
            }
        }
    }

    /** The command's final status on its thing, {@code features/<f>/properties/commandStatus}. */
    private void writeStatus(ThingCommand command, String status, String reason) {
        String feature = command.feature().orElse(null);
        if (feature == null) {
            return; // a message to the thing has no feature to show it on; the counters and dead letter show it
        }
        JsonObjectBuilder value = JsonObject.newBuilder().set("commandId", command.correlationId())
                .set("status", status).set("at", Instant.now().toString());
        if (reason != null) {
            value.set("reason", reason);
        }
        command.desiredProperties().ifPresent(desired -> value.set("desired", desired));
        try {
            context.twin.modify(command.thingId(), JsonPointer.of("/features/" + feature + "/properties/"
                    + STATUS_PROPERTY), value.build(), WriteCondition.ifMatchAny());
        } catch (RuntimeException e) {
            // e.g. the thing was deleted meanwhile; the counters and, for a failure, the dead letter still show it
            LOG.debug("Adapter instance {}: cannot write the status of command {} to {}: {}", instanceId,
                    command.correlationId(), command.thingId(), e.toString());
        }
    }
}
