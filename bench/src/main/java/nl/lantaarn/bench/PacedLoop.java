package nl.lantaarn.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sending loop of the simulators, whatever they send over: numbered messages at the times a {@link Schedule}
 * gives, with at most {@code maxInFlight} waiting for their answer, until the schedule ends, the duration is over, the
 * {@link Sender} stops or Ctrl-C; then a bounded wait for the answers still outstanding.
 *
 * <p>From {@link #start} to {@link #close} Ctrl-C ends the loop rather than the program: the shutdown waits (at most
 * the drain time and two seconds) for {@link #close}, so the summary printed before it still appears. One run per
 * instance, on the thread that started it.
 */
final class PacedLoop implements AutoCloseable {

    /** When each message is due. */
    @FunctionalInterface
    interface Schedule {

        /** Nanoseconds after the start at which message {@code k} (0, 1, ...) is due; negative: no more messages. */
        long dueNanos(long k);

        /** {@code count} messages ({@link Long#MAX_VALUE}: no end), evenly spaced at {@code perSecond}. */
        static Schedule atRate(double perSecond, long count) {
            double periodNanos = 1e9 / perSecond;
            return k -> k < count ? (long) (k * periodNanos) : -1;
        }
    }

    /** Sends one message. */
    @FunctionalInterface
    interface Sender {

        /**
         * Sends message {@code k}, without waiting for its answer.
         *
         * @param answered to run exactly once, when the answer (or the failure) is in
         * @return false to stop after this message
         */
        boolean send(long k, Runnable answered);
    }

    /**
     * How a run went.
     *
     * @param seconds from the start until the last answer (or the end of the wait for it)
     * @param drained whether every answer came within the wait
     */
    record Timing(double seconds, boolean drained) {
    }

    private final int maxInFlight;
    private final long drainSeconds;
    private final Semaphore inFlight;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean running = true;
    private Thread stopper;

    private PacedLoop(int maxInFlight, long drainSeconds) {
        this.maxInFlight = maxInFlight;
        this.drainSeconds = drainSeconds;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * A loop whose Ctrl-C handling is in place from now on.
     *
     * @param maxInFlight  most messages waiting for their answer at once; beyond that the loop slows down
     * @param drainSeconds how long to wait at the end for the answers still outstanding
     */
    static PacedLoop start(int maxInFlight, long drainSeconds) {
        PacedLoop loop = new PacedLoop(maxInFlight, drainSeconds);
        Thread main = Thread.currentThread();
        loop.stopper = new Thread(() -> {
            loop.running = false;
            LockSupport.unpark(main);
            try {
                loop.closed.await(drainSeconds + 2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-stop");
        Runtime.getRuntime().addShutdownHook(loop.stopper);
        return loop;
    }

    /**
     * Sends until the schedule ends, {@code durationSeconds} have passed (null: no limit), the sender stops or Ctrl-C,
     * then waits for the outstanding answers.
     */
    Timing run(Schedule schedule, Double durationSeconds, Sender sender) {
        long started = System.nanoTime();
        long durationNanos = durationSeconds == null ? Long.MAX_VALUE : (long) (durationSeconds * 1e9);
        for (long k = 0; running; k++) {
            long due = schedule.dueNanos(k);
            if (due < 0 || due >= durationNanos) {
                // past the end: wait out the duration, so a quiet simulator runs as long as asked
                if (due >= 0 && durationNanos != Long.MAX_VALUE) {
                    sleepUntil(started + durationNanos);
                }
                break;
            }
            sleepUntil(started + due);
            if (!running || !acquireSlot(started + durationNanos) || !sender.send(k, inFlight::release)) {
                break;
            }
        }
        boolean drained = drain();
        return new Timing((System.nanoTime() - started) / 1e9, drained);
    }

    private void sleepUntil(long deadline) {
        long wait;
        while (running && (wait = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /**
     * Waits for room among the messages in flight; false on Ctrl-C or when the duration is over first (answers that
     * never come, e.g. a broker that stopped acknowledging, must not keep the loop waiting for ever).
     */
    private boolean acquireSlot(long deadline) {
        try {
            while (running) {
                if (inFlight.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for the answers still outstanding; false when some did not come in time. */
    private boolean drain() {
        try {
            return inFlight.tryAcquire(maxInFlight, drainSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Lets a Ctrl-C shutdown go on; call it after printing the summary. */
    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // shutting down after Ctrl-C: the hook is running
        }
    }
}
