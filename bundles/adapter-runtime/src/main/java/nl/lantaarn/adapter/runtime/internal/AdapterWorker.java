package nl.lantaarn.adapter.runtime.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.mqtt.api.MqttSubscription;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.TwinStoreException;

/**
 * Runs one adapter: a bounded inbox and one worker thread of its own, so a slow or failing adapter holds up nobody
 * else. Every payload either becomes thing updates or a dead letter with the reason.
 */
final class AdapterWorker {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterWorker.class);
    private static final Pattern ADAPTER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final SensorAdapter adapter;
    private final String id;
    private final Inbound inbound;
    private final TwinService twin;
    private final DeadLetterService deadLetters;
    private final int maxPayloadBytes;
    private final ThreadPoolExecutor executor;
    private final LongAdder received = new LongAdder();
    private final LongAdder updates = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private volatile String lastFailure;
    private MqttSubscription subscription;

    AdapterWorker(SensorAdapter adapter, TwinService twin, DeadLetterService deadLetters, int inboxCapacity,
            int maxPayloadBytes) {
        this.adapter = adapter;
        this.id = adapter.id();
        if (id == null || !ADAPTER_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("adapter id '" + id + "' must be lower-case letters, digits and dashes");
        }
        this.inbound = adapter.inbound();
        this.twin = twin;
        this.deadLetters = deadLetters;
        this.maxPayloadBytes = maxPayloadBytes;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(inboxCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "adapter-" + id);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    String id() {
        return id;
    }

    Inbound inbound() {
        return inbound;
    }

    String lastFailure() {
        return lastFailure;
    }

    void start(MqttConnection mqtt) {
        subscription = mqtt.subscribe(inbound.source(), inbound.qos(), this::accept);
    }

    /** Called on the MQTT client's thread: only checks the size and queues. */
    void accept(String topic, byte[] payload) {
        received.increment();
        Instant now = Instant.now();
        if (payload.length > maxPayloadBytes) {
            deadLetter(topic, payload, now, "payload of " + payload.length + " bytes exceeds the limit of "
                    + maxPayloadBytes + " bytes (maxPayloadBytes in etc/nl.lantaarn.adapter.runtime.cfg)");
            return;
        }
        InboundMessage message = new InboundMessage(topic, payload, now);
        try {
            executor.execute(() -> process(message));
        } catch (RejectedExecutionException e) {
            deadLetter(topic, payload, now, executor.isShutdown() ? "adapter " + id + " was stopping"
                    : "inbox of adapter " + id + " is full (" + executor.getQueue().remainingCapacity()
                            + " free): the adapter is not keeping up");
        }
    }

    private void process(InboundMessage message) {
        List<ThingUpdate> result;
        try {
            result = adapter.map(message);
        } catch (PayloadRejectedException e) {
            deadLetter(message, e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            String reason = "adapter " + id + " failed: " + e;
            if (!reason.equals(lastFailure)) {
                LOG.warn("Adapter {} failed on a payload from {}", id, message.origin(), e);
            }
            lastFailure = reason;
            deadLetter(message, reason);
            return;
        }
        for (ThingUpdate update : result) {
            try {
                twin.apply(update);
                updates.increment();
            } catch (IllegalArgumentException e) {
                deadLetter(message, "thing update for " + update.thingId() + " refused: " + e.getMessage());
            } catch (TwinStoreException e) {
                // the twin could not keep the change durably (e.g. a full disk): keep the payload instead
                deadLetter(message, "thing update for " + update.thingId() + " not stored: " + e.getMessage() + " "
                        + e.description());
            }
        }
    }

    private void deadLetter(InboundMessage message, String reason) {
        deadLetter(message.origin(), message.payload(), message.receivedAt(), reason);
    }

    private void deadLetter(String origin, byte[] payload, Instant receivedAt, String reason) {
        deadLettered.increment();
        deadLetters.record(id, origin, reason, payload, receivedAt);
    }

    String describe() {
        return id + " (" + inbound + "): received " + received.sum() + ", thing updates " + updates.sum()
                + ", dead-lettered " + deadLettered.sum() + (lastFailure == null ? "" : ", last failure: " + lastFailure);
    }

    void stop() {
        if (subscription != null) {
            subscription.close();
        }
        executor.shutdown();
        try {
            // Let queued payloads finish so an uninstall loses nothing that was accepted.
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                List<Runnable> left = executor.shutdownNow();
                LOG.warn("Adapter {} did not finish {} queued payloads within 5 s of stopping", id, left.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
