package nl.lantaarn.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The receiving side of {@code load}: matches each output (an alert, or the input itself on a bare broker) to the
 * message it came from through its key (device, T), counts it unique, duplicate or unmatched, and records its
 * latency, from the publish and from the time it was due by the schedule, when the message was published after the
 * warm-up. The MQTT client calls {@link #accept} from its one event thread; the methods are synchronized all the
 * same (uncontended, so cheap), which also makes the counts safe to read from the main thread.
 */
final class LoadOutputs {

    /** Highest latency recorded exactly: 10 minutes, in microseconds; anything longer counts as 10 minutes. */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final MessageLedger ledger;
    private final int devices;
    private final long baseMillis;
    private final long startNanos;
    private final boolean inputs;
    /** Nanoseconds between messages by the schedule; 0 at {@code --rate max} (no schedule). */
    private final double periodNanos;
    private final long warmupNanos;
    private final long measuredEndNanos;
    private final AlertKeys keys = new AlertKeys();
    private final Histogram fromPublish = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram fromDue = new Histogram(HIGHEST_MICROS, 3);
    /** Highest sequence seen per device, for the gaps. */
    private final int[] lastSequence;
    private final boolean[] gap;
    private long received;
    private long unique;
    private long measuredUnique;
    private long duplicates;
    private long unmatched;
    private long gapDevices;
    private long inWindow;
    private long late;
    private long lastArrivalNanos = -1;
    private long publishingEndedNanos = Long.MAX_VALUE;
    private Runnable onUnique = () -> { };

    /**
     * @param inputs           whether the outputs are the inputs themselves (bare broker), else alerts
     * @param periodNanos      nanoseconds between messages by the schedule, 0 without one
     * @param warmupNanos      messages due (or, without a schedule, published) before this are not measured
     * @param measuredEndNanos end of the measured window, for the delivery rate within it
     */
    LoadOutputs(MessageLedger ledger, int devices, long baseMillis, long startNanos, boolean inputs,
            double periodNanos, long warmupNanos, long measuredEndNanos) {
        this.ledger = ledger;
        this.devices = devices;
        this.baseMillis = baseMillis;
        this.startNanos = startNanos;
        this.inputs = inputs;
        this.periodNanos = periodNanos;
        this.warmupNanos = warmupNanos;
        this.measuredEndNanos = measuredEndNanos;
        this.lastSequence = new int[devices];
        this.gap = new boolean[devices];
    }

    /** Runs for every unique output (the end-to-end window of {@code --rate max} is released by it). */
    synchronized void onUnique(Runnable action) {
        this.onUnique = action;
    }

    /** One output: its topic and payload, arrived at {@code nowNanos} ({@link System#nanoTime()}). */
    synchronized void accept(String topic, ByteBuffer payload, long nowNanos) {
        received++;
        boolean parsed = inputs ? keys.parseInput(topic, payload) : keys.parseAlert(payload);
        long g = -1;
        long sequence = 0;
        if (parsed && keys.device() < devices) {
            sequence = keys.epochMillis() - baseMillis;
            g = BenchDevices.message(keys.device(), sequence, devices);
        }
        long publishedNanos = g < 0 ? -1 : ledger.publishedNanos(g);
        if (publishedNanos < 0) {
            unmatched++;
            return;
        }
        if (ledger.arrived(g) > 0) {
            duplicates++;
            return;
        }
        unique++;
        onUnique.run();
        long sinceStart = nowNanos - startNanos;
        lastArrivalNanos = sinceStart;
        if (sinceStart >= warmupNanos && sinceStart < measuredEndNanos) {
            inWindow++;
        }
        if (sinceStart > publishingEndedNanos) {
            late++;
        }
        int device = keys.device();
        if (sequence > lastSequence[device] + 1 && !gap[device]) {
            gap[device] = true;
            gapDevices++;
        }
        lastSequence[device] = (int) Math.max(lastSequence[device], sequence);
        long dueNanos = periodNanos > 0 ? (long) (g * periodNanos) : -1;
        boolean measured = periodNanos > 0 ? dueNanos >= warmupNanos : publishedNanos >= warmupNanos;
        if (measured) {
            measuredUnique++;
            fromPublish.recordValue(micros(sinceStart - publishedNanos));
            if (dueNanos >= 0) {
                fromDue.recordValue(micros(sinceStart - dueNanos));
            }
        }
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
    }

    /** The last message was published (and acknowledged) at {@code nanosSinceStart}: later outputs are late. */
    synchronized void publishingEnded(long nanosSinceStart) {
        publishingEndedNanos = nanosSinceStart;
    }

    synchronized long unique() {
        return unique;
    }

    /** The counts and latencies so far. */
    synchronized Counts counts() {
        return new Counts(received, unique, measuredUnique, duplicates, unmatched, gapDevices, inWindow, late,
                lastArrivalNanos, fromPublish.copy(), periodNanos > 0 ? fromDue.copy() : null);
    }

    /**
     * What arrived.
     *
     * @param received         outputs, duplicates and unmatched included
     * @param unique           messages whose output arrived
     * @param measuredUnique   of those, messages published after the warm-up
     * @param duplicates       outputs of a message whose output had arrived before
     * @param unmatched        outputs that are not of a message of this run (or unreadable)
     * @param gapDevices       devices where an output arrived before that of an earlier message of the device
     * @param inWindow         unique outputs that arrived within the measured window
     * @param late             unique outputs that arrived after the last publish was acknowledged
     * @param lastArrivalNanos when the last unique output arrived, since the start; -1: none
     * @param fromPublish      latency from the publish, microseconds, measured messages
     * @param fromDue          latency from the time due by the schedule, microseconds; null without a schedule
     */
    record Counts(long received, long unique, long measuredUnique, long duplicates, long unmatched, long gapDevices,
            long inWindow, long late, long lastArrivalNanos, Histogram fromPublish, Histogram fromDue) {
    }
}
