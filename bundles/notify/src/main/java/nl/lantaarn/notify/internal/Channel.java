package nl.lantaarn.notify.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.durable.DurableQueue;
import nl.lantaarn.durable.DurableStoreException;
import nl.lantaarn.durable.QueueFullException;
import nl.lantaarn.notify.api.Alert;
import nl.lantaarn.notify.api.ChannelStatus;

/**
 * One notification channel: a bounded queue and one worker thread of its own, so that a slow or hanging target holds
 * up nothing but this channel. The worker delivers one alert at a time, in order, with retries and a circuit breaker;
 * an alert it gives up on goes to the dead-letter sink.
 * <p>
 * With an outbox (a {@link DurableQueue} named after the channel) every alert the channel accepts is appended to it
 * first and removed once it was delivered or dead-lettered, so alerts waiting at a crash or a stop are delivered after
 * the next start.
 */
final class Channel {

    /**
     * An alert with its JSON, made once for all channels, and the time the hub took it.
     *
     * @param entry its entry in this channel's outbox, or -1 when it has none (yet)
     */
    record Pending(Alert alert, byte[] json, Instant receivedAt, long entry) {

        Pending(Alert alert, byte[] json, Instant receivedAt) {
            this(alert, json, receivedAt, -1);
        }

        Pending withEntry(long newEntry) {
            return new Pending(alert, json, receivedAt, newEntry);
        }
    }

    /** Where alerts go that the channel gives up on. */
    @FunctionalInterface
    interface DeadLetterSink {
        void deadLetter(Channel channel, Pending pending, String reason);
    }

    static final String UP = "UP";
    static final String OPEN = "OPEN";
    static final String DEGRADED = "DEGRADED";

    private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
    private static final long UNAVAILABLE_POLL_MILLIS = 200;

    private final String name;
    private final String kind;
    private final Delivery delivery;
    private final ChannelSettings settings;
    private final DeadLetterSink sink;
    private final DurableQueue outbox;
    private final BlockingQueue<Pending> queue;
    private final CircuitBreaker breaker;
    private final Thread worker;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong outboxFailures = new AtomicLong();

    private volatile boolean accepting = true;
    private volatile boolean stopped;
    private volatile Consumer<Pending> leftovers;
    private volatile String lastError;
    private volatile String waitingFor;

    Channel(String name, String kind, Delivery delivery, ChannelSettings settings, DeadLetterSink sink) {
        this(name, kind, delivery, settings, sink, null);
    }

    /** @param outbox this channel's durable queue, or {@code null}: alerts are queued in memory only */
    Channel(String name, String kind, Delivery delivery, ChannelSettings settings, DeadLetterSink sink,
            DurableQueue outbox) {
        this.name = name;
        this.outbox = outbox;
        this.kind = kind;
        this.delivery = delivery;
        this.settings = settings;
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.breaker = new CircuitBreaker(settings.breakerFailures(), settings.breakerCoolDown().toNanos());
        this.worker = new Thread(this::run, "notify-" + kind + "-" + name);
        this.worker.setDaemon(true);
    }

    String name() {
        return name;
    }

    String kind() {
        return kind;
    }

    String target() {
        return delivery.target();
    }

    void start() {
        worker.start();
    }

    /**
     * Queues the alert without blocking: appends it to the outbox first (in memory; the caller waits for the commit)
     * unless it has an entry there already (moved from a replaced channel, or read back at start). A full queue (or
     * a stopped channel) makes it a dead letter at once.
     *
     * @param outboxEntry {@link OutboxAlert#bytes} of the alert, made once for all channels it goes to; {@code null}:
     *                    made here when needed
     * @return whether the outbox was appended to
     */
    boolean offer(Pending pending, byte[] outboxEntry) {
        if (!accepting) {
            giveUp(pending, "channel '" + name + "' was removed before the alert was queued");
            return false;
        }
        Pending queued = pending;
        boolean appended = false;
        if (outbox != null && pending.entry() < 0) {
            try {
                queued = pending.withEntry(outbox.append(outboxEntry != null ? outboxEntry
                        : OutboxAlert.bytes(pending)));
                appended = true;
            } catch (QueueFullException e) {
                giveUp(pending, full());
                return false;
            } catch (DurableStoreException e) {
                // delivered from memory rather than refused; health shows the outbox's failure
                outboxProblem(e);
            }
        }
        if (!queue.offer(queued)) {
            giveUp(queued, full());
        }
        return appended;
    }

    void offer(Pending pending) {
        offer(pending, null);
    }

    private String full() {
        return "queue of channel '" + name + "' is full (" + settings.queueCapacity() + " alerts waiting; target "
                + delivery.target() + " is slow or failing)";
    }

    /**
     * Stops taking alerts and stops the worker without waiting for it. The waiting alerts go to {@code leftovers} now;
     * the one being delivered goes there when its current attempt ends without success.
     */
    void stop(Consumer<Pending> leftovers) {
        this.leftovers = leftovers;
        accepting = false;
        stopped = true;
        worker.interrupt();
        List<Pending> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        waiting.forEach(leftovers);
        delivery.close();
    }

    boolean breakerOpen() {
        return breaker.isOpen();
    }

    ChannelStatus status() {
        long now = System.nanoTime();
        CircuitBreaker.State breakerState = breaker.state(now);
        String error = lastError;
        String waiting = waitingFor;
        String state;
        String reason;
        if (breakerState == CircuitBreaker.State.OPEN) {
            state = OPEN;
            reason = "circuit breaker open after " + breaker.consecutiveFailures() + " consecutive failures, next try in "
                    + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(breaker.nanosUntilAllowed(now))) + " s; last error: "
                    + error;
        } else if (waiting != null) {
            state = DEGRADED;
            reason = waiting;
        } else if (error != null) {
            state = DEGRADED;
            reason = (breakerState == CircuitBreaker.State.HALF_OPEN ? "circuit breaker half-open; " : "")
                    + "last error: " + error;
        } else {
            state = UP;
            reason = null;
        }
        return new ChannelStatus(name, kind, state, reason, queue.size(), delivered.get(), retried.get(),
                failed.get());
    }

    private void run() {
        LOG.debug("Channel {} ({}) started, target {}", name, kind, delivery.target());
        while (!stopped) {
            Pending pending;
            try {
                pending = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            deliver(pending);
        }
        LOG.debug("Channel {} ({}) stopped", name, kind);
    }

    private void deliver(Pending pending) {
        int attempt = 0;
        while (true) {
            try {
                awaitTarget();
                attempt++;
                if (attempt > 1) {
                    retried.incrementAndGet();
                }
                delivery.deliver(pending.alert(), pending.json());
                delivered.incrementAndGet();
                done(pending);
                lastError = null;
                if (breaker.onSuccess()) {
                    LOG.info("Notification channel {}: circuit breaker closed, {} answers again", name,
                            delivery.target());
                }
                return;
            } catch (InterruptedException e) {
                handOver(pending);
                return;
            } catch (DeliveryException e) {
                lastError = e.getMessage();
                if (e.permanent()) {
                    giveUp(pending, "target " + delivery.target() + " refused the alert: " + e.getMessage());
                    return;
                }
                if (breaker.onFailure(System.nanoTime())) {
                    LOG.warn("Notification channel {}: circuit breaker open after {} consecutive failures, waiting {}"
                            + " s before the next try; last error: {}", name, breaker.consecutiveFailures(),
                            settings.breakerCoolDown().toSeconds(), e.getMessage());
                }
                if (attempt >= settings.maxAttempts()) {
                    giveUp(pending, "gave up after " + attempt + " attempts to " + delivery.target() + "; last error: "
                            + e.getMessage());
                    return;
                }
                if (stopped) {
                    handOver(pending);
                    return;
                }
                try {
                    Thread.sleep(settings.backoffMillis(attempt));
                } catch (InterruptedException interrupted) {
                    handOver(pending);
                    return;
                }
            } catch (RuntimeException e) {
                // a bug in a delivery must not kill the worker
                lastError = e.toString();
                giveUp(pending, "delivery to " + delivery.target() + " failed unexpectedly: " + e);
                return;
            }
        }
    }

    /** Waits while the breaker is open or the target is unavailable; neither uses up an attempt. */
    private void awaitTarget() throws InterruptedException {
        long wait = breaker.nanosUntilAllowed(System.nanoTime());
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        String unavailable;
        while ((unavailable = delivery.unavailable()) != null) {
            waitingFor = unavailable;
            Thread.sleep(UNAVAILABLE_POLL_MILLIS);
        }
        waitingFor = null;
        if (stopped) {
            throw new InterruptedException("channel stopped");
        }
    }

    /** Gives up on an alert this channel held (e.g. handed over at {@link #stop}): dead letter, out of the outbox. */
    void deadLetter(Pending pending, String reason) {
        giveUp(pending, reason);
    }

    private void giveUp(Pending pending, String reason) {
        failed.incrementAndGet();
        sink.deadLetter(this, pending, reason);
        done(pending);
    }

    /** Delivered or dead-lettered: out of the outbox. */
    private void done(Pending pending) {
        if (outbox != null && pending.entry() >= 0) {
            try {
                outbox.remove(pending.entry());
            } catch (DurableStoreException e) {
                outboxProblem(e);
            }
        }
    }

    private void outboxProblem(DurableStoreException e) {
        if (outboxFailures.getAndIncrement() == 0) {
            LOG.warn("Notification channel {}: {} Alerts go on in memory only while this lasts.", name,
                    e.getMessage());
        }
    }

    private void handOver(Pending pending) {
        Consumer<Pending> target = leftovers;
        if (target != null) {
            target.accept(pending);
        } else {
            giveUp(pending, "channel '" + name + "' was interrupted while delivering");
        }
    }
}
