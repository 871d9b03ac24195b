package nl.lantaarn.adapter.runtime.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.CommandCounters;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.api.Acknowledgement;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.CommandRejectedException;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.adapter.api.ThingCommand;
import nl.lantaarn.adapter.api.VendorCommand;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinException;
import nl.lantaarn.twin.api.TwinStoreException;

/**
 * One adapter instance: its configuration, its inbound transport, its bounded inbox and its worker, and the adapter
 * object its factory made. The inbox and the counters outlive the adapter object: a configuration change or a new
 * version of the adapter bundle replaces the adapter, and the queued payloads go on to the new one.
 * <p>
 * Threads: transports call {@link #onMqtt}, {@link #offer} and {@link #submit} from their own threads (lock-free:
 * checks and one queue offer); the {@link Worker} maps; everything else is control and runs under the registry's
 * lock.
 */
final class AdapterInstance {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterInstance.class);
    /** How long a stop, a removal or the runtime's shutdown lets the worker map what is queued. */
    static final Duration DRAIN_TIME = Duration.ofSeconds(5);

    /** What the control side made of the instance. */
    enum Kind {
        /** No adapter of its type is present (never was, or the upgrade grace period passed). */
        ABSENT,
        /** Its adapter type went away; transport and inbox are kept for the grace period. */
        UPGRADING,
        RUNNING,
        FAILED,
        STOPPED,
        /** Its configuration is gone, or the runtime stopped. */
        REMOVED
    }

    /**
     * @param kind    the kind
     * @param reason  for the status; {@code null} when running
     * @param refusal the dead-letter reason of payloads that arrive now, when they are not queued
     */
    record Phase(Kind kind, String reason, String refusal) {
        boolean accepts() {
            return kind == Kind.RUNNING || kind == Kind.UPGRADING;
        }
    }

    /** A command to one of the instance's things, queued for the worker like a payload. */
    record CommandTask(ThingCommand command) {
    }

    final String id;
    final String typeId;
    private final RuntimeContext context;
    /** Commands sent and waiting for their acknowledgement; outlives adapter replacements like the inbox. */
    final CommandTracker commands;
    private final ArrayBlockingQueue<Object> inbox;
    private final int inboxCapacity;

    /** The adapter the worker maps with; {@code null} while it must not take payloads. */
    volatile SensorAdapter adapter;
    /** The sensor register's check and fields for this instance's things; replaced with the adapter. */
    private volatile RegisterGate register = RegisterGate.NONE;
    private static final RegisterGate.Today TODAY = new RegisterGate.Today(java.time.ZoneId.systemDefault());
    private volatile Phase phase;
    private volatile Worker worker;
    private int generation;
    /** Workers given up on while stuck in a map call; they end when the call returns. */
    private final List<Worker> abandoned = new CopyOnWriteArrayList<>();

    // control state: guarded by the registry's lock
    private InstanceConfig config;
    private FactoryHolder holder;
    private boolean operatorStopped;
    private Transport transport;

    // for the status: written under the registry's lock, read anywhere
    private volatile Inbound inbound;
    private volatile FactoryHolder present;
    private volatile String transportProblem;
    private volatile String lastFailure;

    private final LongAdder received = new LongAdder();
    private final LongAdder mapped = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder thingUpdates = new LongAdder();
    private final LongAdder mapNanos = new LongAdder();
    private final LongAdder mapCalls = new LongAdder();
    /** Fields cut out of thing updates because the manifest does not declare them. */
    private final LongAdder undeclaredFields = new LongAdder();
    /** The undeclared fields already named at WARN: each once per instance, at most {@value #MAX_WARNED} of them. */
    private final Set<String> warnedFields = ConcurrentHashMap.newKeySet();
    private static final int MAX_WARNED = 100;
    private final Consumer<String> onUndeclared = this::undeclared;
    /** Times an MQTT message found the inbox full and waited for room. */
    private final LongAdder inboxWaits = new LongAdder();
    /** The last wait for room ended without it: do not wait again until the inbox takes a message. */
    private volatile boolean waitedInVain;
    private volatile long maxMapNanos;
    private volatile Instant lastReceivedAt;

    AdapterInstance(String id, String typeId, RuntimeContext context) {
        this.id = id;
        this.typeId = typeId;
        this.context = context;
        this.commands = new CommandTracker(id, context);
        this.inboxCapacity = context.settings.inboxCapacity();
        this.inbox = new ArrayBlockingQueue<>(inboxCapacity);
        this.phase = new Phase(Kind.ABSENT, notInstalled(), notInstalled());
        this.worker = new Worker(this, inbox, 0);
        this.worker.start();
    }

    // ---------------------------------------------------------------- transports' side (any thread, no locks)

    /**
     * MQTT handler, on the connection's delivery thread: checks the size and queues; no future, no logging. When the
     * inbox is full it waits up to {@code inboxWait} for room, which holds up the MQTT intake (back-pressure: the broker
     * keeps the messages) instead of dead-lettering them. A wait that ends without room makes that message a dead
     * letter, and later ones too, without waiting, until the inbox takes one again: a stuck adapter must not hold up
     * the intake of every other subscription for long.
     */
    void onMqtt(String topic, byte[] payload) {
        offer(new InboundMessage(topic, payload, Instant.now()), true);
    }

    /** A payload whose sender does not wait for the outcome. */
    void offer(InboundMessage message) {
        offer(message, false);
    }

    private void offer(InboundMessage message, boolean mayWait) {
        received.increment();
        lastReceivedAt = message.receivedAt();
        int max = maxPayloadBytes();
        if (message.payload().length > max) {
            deadLetter(message.origin(), message.payload(), message.receivedAt(),
                    tooLarge(message.payload().length, max));
            return;
        }
        if (mayWait && !waitedInVain && phase.accepts()) {
            if (inbox.offer(message) || waitForRoom(message)) {
                recheck(message);
                return;
            }
        }
        enqueue(message, message, null);
        if (waitedInVain && inbox.remainingCapacity() > 0) {
            waitedInVain = false; // the inbox takes payloads again: the next full one may wait
        }
    }

    /** After queuing: the instance stopped taking payloads meanwhile, and nobody took this one: refuse it here. */
    private void recheck(InboundMessage message) {
        if (!phase.accepts() && inbox.remove(message)) {
            refuse(null, message, phase.refusal(), null);
        }
    }

    /** Waits for room in the full inbox and queues {@code message}; {@code false} when the wait ended without room. */
    private boolean waitForRoom(InboundMessage message) {
        long waitNanos = context.settings.inboxWait().toNanos();
        if (waitNanos <= 0) {
            return false;
        }
        inboxWaits.increment();
        try {
            if (inbox.offer(message, waitNanos, TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        waitedInVain = true;
        return false;
    }

    /**
     * A payload whose sender waits for the outcome.
     *
     * @param replayOf the dead letter it comes from: a refusal then updates that dead letter instead of making one
     */
    CompletionStage<IngestResult> submit(InboundMessage message, String replayOf) {
        IngestTask task = new IngestTask(message, replayOf);
        received.increment();
        lastReceivedAt = Instant.now();
        int max = maxPayloadBytes();
        if (message.payload().length > max) {
            refuse(task, message, tooLarge(message.payload().length, max), null);
        } else {
            enqueue(task, message, task);
        }
        return task.result;
    }

    /** A payload the transport could not hand over as such (an HTTP error status, a cut body). */
    void deadLetterUnqueued(String origin, byte[] payload, Instant receivedAt, String reason) {
        received.increment();
        lastReceivedAt = receivedAt;
        deadLetter(origin, payload, receivedAt, reason);
    }

    private void enqueue(Object item, InboundMessage message, IngestTask task) {
        Phase current = phase;
        if (!current.accepts()) {
            refuse(task, message, current.refusal(), null);
        } else if (!inbox.offer(item)) {
            refuse(task, message, "inbox of adapter instance " + id + " is full (" + inboxCapacity
                    + " payloads): the adapter is not keeping up" + (task == null && waitedInVain
                    ? " (waited " + context.settings.inboxWait().toSeconds() + " s for room)" : ""), null);
        } else if (!phase.accepts() && inbox.remove(item)) {
            // the instance stopped taking payloads while this one was queued, and nobody took it: refuse it here
            refuse(task, message, phase.refusal(), null);
        }
    }

    /**
     * A command to one of this instance's things, from the twin listener's thread: queued for the worker, or failed
     * at once when the instance does not take work now.
     */
    void command(ThingCommand command) {
        Phase current = phase;
        CommandTask task = new CommandTask(command);
        if (!current.accepts()) {
            commands.fail(command, null, "adapter instance " + id + " does not take commands now: "
                    + current.refusal());
        } else if (!inbox.offer(task)) {
            commands.fail(command, null, "inbox of adapter instance " + id + " is full (" + inboxCapacity
                    + " payloads): the adapter is not keeping up");
        } else if (!phase.accepts() && inbox.remove(task)) {
            commands.fail(command, null, "adapter instance " + id + " does not take commands now: "
                    + phase.refusal());
        }
    }

    /** Whether payloads are mapped right now (polling and folder scans pause otherwise). */
    boolean isMapping() {
        return adapter != null && phase.kind() == Kind.RUNNING;
    }

    int inboxRemaining() {
        return inbox.remainingCapacity();
    }

    int maxPayloadBytes() {
        return context.settings.maxPayloadBytes();
    }

    /** Why the transport does not deliver, or {@code null} when it does. */
    void transportProblem(String problem) {
        transportProblem = problem;
    }

    // ---------------------------------------------------------------- worker's side

    /** Maps one payload and applies the updates, or makes it a dead letter. On the worker's thread only. */
    void process(Object item, SensorAdapter mapper, Worker current) {
        if (item instanceof CommandTask command) {
            runCommand(command.command(), mapper, current);
            return;
        }
        IngestTask task = item instanceof IngestTask t ? t : null;
        InboundMessage message = task != null ? task.message : (InboundMessage) item;
        List<ThingUpdate> updates;
        long started = System.nanoTime();
        current.mapStartedNanos = started == 0 ? 1 : started;
        try {
            Optional<Acknowledgement> ack = mapper.acknowledgement(message);
            if (ack != null && ack.isPresent()) {
                recordTime(started);
                mapped.increment();
                commands.acknowledged(ack.get());
                if (task != null) {
                    task.accepted(List.of());
                }
                return;
            }
            updates = mapper.map(message);
            if (updates == null) {
                throw new IllegalStateException("map returned null instead of a list");
            }
        } catch (PayloadRejectedException e) {
            recordTime(started);
            rejected.increment();
            refuse(task, message, e.getMessage() == null ? "rejected by adapter " + id + " without a reason"
                    : e.getMessage(), null);
            return;
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: e.g. a class missing from a bundle that is being replaced
            recordTime(started);
            if (lastFailure == null) {
                LOG.warn("Adapter instance {} failed on a payload from {}; such payloads are kept as dead letters",
                        id, message.origin(), e);
            }
            lastFailure = e.toString();
            refuse(task, message, "adapter " + id + " failed: " + e, null);
            return;
        } finally {
            current.mapStartedNanos = 0;
        }
        recordTime(started);
        if (lastFailure != null) {
            lastFailure = null;
        }
        mapped.increment();
        apply(task, message, updates);
    }

    /** Turns a command into vendor commands with the adapter and sends them. On the worker's thread only. */
    private void runCommand(ThingCommand command, SensorAdapter adapter, Worker current) {
        List<VendorCommand> out;
        long started = System.nanoTime();
        current.mapStartedNanos = started == 0 ? 1 : started;
        try {
            out = adapter.command(command);
            if (out == null) {
                throw new IllegalStateException("command returned null instead of a list");
            }
            for (VendorCommand vendorCommand : out) {
                if (vendorCommand == null) {
                    throw new IllegalStateException("command returned a list with null in it");
                }
            }
        } catch (CommandRejectedException e) {
            commands.fail(command, null, "rejected by adapter " + id + ": " + e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            commands.fail(command, null, "adapter " + id + " failed on the command: " + e);
            return;
        } finally {
            current.mapStartedNanos = 0;
        }
        commands.send(command, out);
    }

    /**
     * Hands the updates to the runtime's apply lanes, each on the lane of its thing; the last one to finish settles the
     * payload (accepted, or a dead letter naming every refusal). On the worker's thread; waits while a lane is full.
     */
    private void apply(IngestTask task, InboundMessage message, List<ThingUpdate> updates) {
        int n = updates.size();
        if (n == 0) {
            if (task != null) {
                if (task.replayOf != null) {
                    removeDeadLetter(task.replayOf);
                }
                task.accepted(List.of());
            }
            return;
        }
        Applying applying = new Applying(task, message, n);
        for (int i = 0; i < n; i++) {
            ThingUpdate update = updates.get(i);
            if (update == null) {
                applying.done(i, null, "adapter " + id + " returned a null thing update");
                continue;
            }
            int index = i;
            context.lanes.submit(update.thingId(), () -> applyOne(applying, index, update));
        }
    }

    /** One update of a payload, on its lane: manifest, register, twin. */
    private void applyOne(Applying applying, int index, ThingUpdate update) {
        FactoryHolder factory = present;
        if (factory != null) {
            update = factory.guard().apply(update, context.twin, onUndeclared);
            if (update == null) {
                // nothing declared was left: the payload was handled, there is nothing to store
                applying.done(index, null, null);
                return;
            }
        }
        try {
            update = admit(update);
        } catch (RegisterGate.Refused e) {
            applying.done(index, null, e.getMessage());
            return;
        }
        String refusal;
        try {
            context.twin.apply(update);
            thingUpdates.increment();
            applying.done(index, update.thingId().toString(), null);
            return;
        } catch (TwinStoreException e) {
            // the twin could not keep the change durably (e.g. a full disk): keep the payload instead
            refusal = "thing update for " + update.thingId() + " not stored: " + e.getMessage() + " "
                    + e.description();
        } catch (IllegalArgumentException | TwinException e) {
            refusal = "thing update for " + update.thingId() + " refused: " + e.getMessage();
        } catch (RuntimeException e) {
            refusal = "thing update for " + update.thingId() + " failed: " + e;
        }
        applying.done(index, null, refusal);
    }

    /** The updates of one payload on their way through the lanes; the last one done settles the payload. */
    private final class Applying {
        private final IngestTask task;
        private final InboundMessage message;
        private final String[] thingIds;
        private final String[] refusals;
        private final AtomicInteger remaining;

        Applying(IngestTask task, InboundMessage message, int updates) {
            this.task = task;
            this.message = message;
            this.thingIds = new String[updates];
            this.refusals = new String[updates];
            this.remaining = new AtomicInteger(updates);
        }

        /** Update {@code index} is done: applied to {@code thingId}, or refused for {@code refusal}, or neither. */
        void done(int index, String thingId, String refusal) {
            thingIds[index] = thingId;
            refusals[index] = refusal;
            // the atomic decrement publishes the array writes to the thread that settles
            if (remaining.decrementAndGet() == 0) {
                settle();
            }
        }

        private void settle() {
            String refusal = null;
            List<String> applied = new ArrayList<>(thingIds.length);
            for (int i = 0; i < thingIds.length; i++) {
                if (refusals[i] != null) {
                    refusal = join(refusal, refusals[i]);
                }
                if (thingIds[i] != null) {
                    applied.add(thingIds[i]);
                }
            }
            if (refusal != null) {
                refuse(task, message, refusal, task == null ? null : applied);
            } else if (task != null) {
                if (task.replayOf != null) {
                    removeDeadLetter(task.replayOf);
                }
                task.accepted(List.copyOf(applied));
            }
        }
    }

    /** The sensor register's say on an update: with the instance's register fields, or refused. */
    private ThingUpdate admit(ThingUpdate update) throws RegisterGate.Refused {
        return register.admit(update, context.twin, context.settings.quarantineUnregistered(),
                TODAY.at(System.currentTimeMillis()));
    }

    /** A field of a thing update that the manifest does not declare was cut out. On the worker's thread. */
    private void undeclared(String pointer) {
        undeclaredFields.increment();
        if (warnedFields.size() < MAX_WARNED && warnedFields.add(pointer)) {
            LOG.warn("Adapter instance {} wrote {}, which the privacy manifest of its type does not declare: dropped "
                    + "before storage (counted in the adapter status as undeclaredFields; said once per field)", id,
                    pointer);
        }
    }

    private static String join(String first, String next) {
        return first == null ? next : first + "; " + next;
    }

    private void recordTime(long started) {
        long nanos = System.nanoTime() - started;
        mapNanos.add(nanos);
        mapCalls.increment();
        if (nanos > maxMapNanos) {
            maxMapNanos = nanos;
        }
    }

    /** A payload that is not (or no longer) going to be applied: a dead letter, or for a replay its new reason. */
    private void refuse(IngestTask task, InboundMessage message, String reason, List<String> thingIds) {
        List<String> ids = thingIds == null ? List.of() : List.copyOf(thingIds);
        if (task != null && task.replayOf != null) {
            try {
                context.deadLetters.updateReason(task.replayOf, reason);
            } catch (RuntimeException e) {
                LOG.warn("Cannot update the reason of dead letter {} after its replay: {}", task.replayOf, e.toString());
            }
            task.refused(ids, reason, null);
            return;
        }
        String letter = deadLetter(message.origin(), message.payload(), message.receivedAt(), reason);
        if (task != null) {
            task.refused(ids, reason, letter);
        }
    }

    private String deadLetter(String origin, byte[] payload, Instant receivedAt, String reason) {
        deadLettered.increment();
        try {
            return context.deadLetters.record(id, origin, reason, payload, receivedAt).id();
        } catch (RuntimeException e) {
            // the dead-letter service reports its own storage problems; this payload is all that can be named here
            LOG.error("Cannot keep a dead letter of adapter instance {} from {} ({}): {}", id, origin, reason,
                    e.toString());
            return null;
        }
    }

    private void removeDeadLetter(String deadLetterId) {
        try {
            context.deadLetters.remove(deadLetterId);
        } catch (RuntimeException e) {
            LOG.warn("Dead letter {} was replayed but cannot be removed: {}", deadLetterId, e.toString());
        }
    }

    private static String tooLarge(int length, int max) {
        return "payload of " + length + " bytes exceeds the limit of " + max
                + " bytes (maxPayloadBytes in etc/nl.lantaarn.adapter.runtime.cfg)";
    }

    // ---------------------------------------------------------------- control side (under the registry's lock)

    InstanceConfig config() {
        return config;
    }

    FactoryHolder holder() {
        return holder;
    }

    boolean operatorStopped() {
        return operatorStopped;
    }

    Kind kind() {
        return phase.kind();
    }

    /** Remembers the configuration without acting on it (stopped or waiting instances). */
    void remember(InstanceConfig newConfig) {
        this.config = newConfig;
    }

    /** An operator starts the instance again; the registry decides how. */
    void clearStop() {
        operatorStopped = false;
    }

    /**
     * Makes the adapter from {@code factory} with {@code newConfig}, after closing the current one (its call in flight
     * finishes first), and continues with the queued payloads. When the factory refuses the configuration or throws,
     * the instance is FAILED with the reason and its queued payloads become dead letters.
     */
    void startWith(FactoryHolder factory, InstanceConfig newConfig) {
        retireAdapter();
        this.config = newConfig;
        this.holder = factory;
        this.present = factory;
        this.operatorStopped = false;
        if (newConfig.problem() != null) {
            fail(newConfig.problem());
            return;
        }
        SensorAdapter created = null;
        Inbound next;
        try {
            created = factory.factory().create(newConfig.toAdapterConfiguration());
            if (created == null) {
                throw new IllegalStateException("create returned null instead of an adapter");
            }
            next = created.inbound();
            if (next == null) {
                throw new IllegalStateException("inbound() returned null");
            }
        } catch (AdapterConfigurationException e) {
            closeQuietly(id, created);
            fail("configuration: " + e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            closeQuietly(id, created);
            fail("adapter type " + typeId + " could not create the instance: " + e);
            return;
        }
        RegisterGate gate;
        try {
            gate = RegisterGate.of(newConfig.register(), factory.type().privacy());
        } catch (IllegalArgumentException e) {
            closeQuietly(id, created);
            fail("configuration: " + e.getMessage());
            return;
        }
        String conflict = webhookConflict(next);
        if (conflict != null) {
            closeQuietly(id, created);
            fail(conflict);
            return;
        }
        try {
            useInbound(next);
        } catch (RuntimeException e) {
            closeQuietly(id, created);
            fail("inbound " + next + ": " + e.getMessage());
            return;
        }
        lastFailure = null;
        register = gate;
        phase = new Phase(Kind.RUNNING, null, null);
        adapter = created;
        worker.wake();
        LOG.debug("Adapter instance {} running ({}, {}), {} payloads queued", id, next, factory.bundle(),
                inbox.size());
    }

    /** Its adapter type went away (bundle stopping or being updated): keep transport and inbox, map nothing. */
    void pauseForUpgrade(Duration grace) {
        retireAdapter();
        present = null;
        holder = null;
        String reason = "adapter type " + typeId + " went away (its bundle is stopping or being updated); "
                + "payloads are kept for up to " + grace.toSeconds() + " s";
        phase = new Phase(Kind.UPGRADING, reason, reason);
    }

    /** No adapter of its type: no transport, and what was queued becomes dead letters with {@code refusal}. */
    void becomeAbsent(String reason) {
        retireAdapter();
        closeTransport();
        inbound = null;
        present = null;
        holder = null;
        transportProblem = null;
        phase = new Phase(Kind.ABSENT, reason, reason);
        drainToDeadLetters(reason);
        commands.failAll(reason);
    }

    /** Stopped by an operator: transport closed, the queue mapped for up to {@link #DRAIN_TIME}, the rest dead-lettered. */
    void stop() {
        operatorStopped = true;
        String refusal = "adapter instance " + id + " is stopped; start it to process payloads again";
        shutDown(new Phase(Kind.STOPPED, "stopped by an operator", refusal));
        transportProblem = null;
    }

    /** Gone for good (configuration deleted, type removed): like a stop, and the worker ends. */
    void remove(String refusal) {
        beginRemoval(refusal);
        drainByProcessing(System.nanoTime() + DRAIN_TIME.toNanos());
        finishRemoval();
    }

    /** First half of {@link #remove}, so that the runtime's shutdown can give all instances one drain time. */
    void beginRemoval(String refusal) {
        phase = new Phase(Kind.REMOVED, refusal, refusal);
        closeTransport();
    }

    void finishRemoval() {
        retireAdapter();
        drainToDeadLetters(phase.refusal());
        commands.failAll(phase.refusal());
        Worker current = worker;
        current.retired = true;
        current.wake();
    }

    private void shutDown(Phase next) {
        phase = next;
        closeTransport();
        drainByProcessing(System.nanoTime() + DRAIN_TIME.toNanos());
        retireAdapter();
        drainToDeadLetters(next.refusal());
        commands.failAll(next.refusal());
    }

    /**
     * Waits until the worker took everything queued, or the deadline passed. The payload it holds last is finished
     * by {@link #retireAdapter()}, which waits for the call in flight.
     */
    void drainByProcessing(long deadlineNanos) {
        while (adapter != null && !inbox.isEmpty() && System.nanoTime() - deadlineNanos < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private void fail(String reason) {
        retireAdapter();
        closeTransport();
        transportProblem = null;
        String refusal = "adapter instance " + id + " failed: " + reason;
        phase = new Phase(Kind.FAILED, reason, refusal);
        drainToDeadLetters(refusal);
        commands.failAll(refusal);
        LOG.warn("Adapter instance {} FAILED: {}", id, reason);
    }

    /**
     * Takes the adapter away from the worker and closes it once its call in flight is done. A worker stuck in a call
     * for longer than {@code stuckAfterSeconds} is left to finish (it closes the adapter then) and a new worker takes
     * over the inbox.
     */
    private void retireAdapter() {
        SensorAdapter old = adapter;
        if (old == null) {
            return;
        }
        adapter = null;
        Worker current = worker;
        long deadline = System.nanoTime() + context.settings.stuckAfter().toNanos();
        while (current.busyWith == old && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (current.busyWith == old) {
            current.closeWhenDone = old;
            current.retired = true;
            abandoned.add(current);
            worker = new Worker(this, inbox, ++generation);
            worker.start();
            LOG.warn("Adapter instance {}: a map call has run for more than {} s; it is left to finish on thread {} "
                    + "and the instance goes on with a new thread", id, context.settings.stuckAfter().toSeconds(),
                    current.thread.getName());
        } else {
            closeQuietly(id, old);
        }
    }

    private void useInbound(Inbound next) {
        if (transport != null && next.equals(inbound)) {
            return; // e.g. the same MQTT subscription across an upgrade: nothing to re-subscribe
        }
        Transport opened = context.open(this, next);
        Transport old = transport;
        transport = opened;
        inbound = next;
        if (old != null) {
            old.close(); // after the new one is open: the broker sees no gap for a shared topic filter
        }
    }

    private void closeTransport() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }

    void mqttChanged() {
        if (transport != null) {
            transport.mqttChanged(context.mqtt);
        }
    }

    /** Dead-letters everything queued; only while no worker takes payloads. */
    private void drainToDeadLetters(String reason) {
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof CommandTask command) {
                commands.fail(command.command(), null, reason);
                continue;
            }
            IngestTask task = item instanceof IngestTask t ? t : null;
            refuse(task, task != null ? task.message : (InboundMessage) item, reason, null);
        }
    }

    private String webhookConflict(Inbound next) {
        if (next.kind() != Inbound.Kind.WEBHOOK) {
            return null;
        }
        for (AdapterInstance other : context.instances.values()) {
            Kind otherKind = other.phase.kind();
            if (other != this && next.equals(other.inbound) && otherKind != Kind.FAILED
                    && otherKind != Kind.REMOVED) {
                return "webhook name '" + next.source() + "' is already used by adapter instance " + other.id;
            }
        }
        return null;
    }

    static void closeQuietly(String id, SensorAdapter adapter) {
        if (adapter == null) {
            return;
        }
        try {
            adapter.close();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Adapter instance {} failed to close: {}", id, e.toString());
        }
    }

    // ---------------------------------------------------------------- status

    CommandCounters commandCounters() {
        return new CommandCounters(commands.sentCount.sum(), commands.acknowledgedCount.sum(),
                commands.retriedCount.sum(), commands.failedCount.sum(), commands.unmatchedCount.sum(),
                commands.pendingCount());
    }

    AdapterStatus status() {
        Phase current = phase;
        AdapterState state;
        String reason = current.reason();
        switch (current.kind()) {
            case RUNNING -> {
                reason = degradation();
                state = reason == null ? AdapterState.RUNNING : AdapterState.DEGRADED;
            }
            case UPGRADING, ABSENT -> state = AdapterState.WAITING;
            case FAILED -> state = AdapterState.FAILED;
            default -> state = AdapterState.STOPPED;
        }
        FactoryHolder factory = present;
        AdapterType type = factory == null ? null : factory.type();
        Inbound in = inbound;
        long calls = mapCalls.sum();
        return new AdapterStatus(id, typeId, type == null ? null : type.vendor(),
                type == null ? Set.of() : type.domains(), factory == null ? null : factory.bundle(), state, reason,
                in == null ? null : in.toString(), type == null ? null : type.privacy(), received.sum(), mapped.sum(),
                rejected.sum(), deadLettered.sum(), thingUpdates.sum(), inbox.size(), inboxCapacity,
                calls == 0 ? 0 : mapNanos.sum() / 1000.0 / calls, maxMapNanos / 1000, lastReceivedAt,
                undeclaredFields.sum());
    }

    /** The command counters, for health and logs (the status record has no fields for them yet). */
    String commandSummary() {
        return "commands sent " + commands.sentCount.sum() + ", acknowledged " + commands.acknowledgedCount.sum()
                + ", failed " + commands.failedCount.sum() + ", retried " + commands.retriedCount.sum()
                + ", waiting " + commands.pendingCount();
    }

    /** Whether any command was ever handed to this instance. */
    boolean hadCommands() {
        return commands.sentCount.sum() + commands.failedCount.sum() + commands.acknowledgedCount.sum() > 0;
    }

    /** Why a running instance is DEGRADED, or {@code null}. Not on the hot path: status and watchdog only. */
    private String degradation() {
        List<String> reasons = new ArrayList<>(2);
        long now = System.nanoTime();
        long stuckNanos = context.settings.stuckAfter().toNanos();
        long started = worker.mapStartedNanos;
        if (started != 0 && now - started > stuckNanos) {
            reasons.add("a map call has been running for " + TimeUnit.NANOSECONDS.toSeconds(now - started)
                    + " s (stuckAfterSeconds is " + context.settings.stuckAfter().toSeconds()
                    + "): the adapter may be stuck");
        }
        for (Worker old : abandoned) {
            long oldStarted = old.mapStartedNanos;
            if (!old.thread.isAlive() || oldStarted == 0) {
                abandoned.remove(old);
            } else {
                reasons.add("an earlier map call has been running for "
                        + TimeUnit.NANOSECONDS.toSeconds(now - oldStarted) + " s on abandoned thread "
                        + old.thread.getName());
            }
        }
        String failure = lastFailure;
        if (failure != null) {
            reasons.add("the last map call failed: " + failure);
        }
        int size = inbox.size();
        if (size * 5L > inboxCapacity * 4L) {
            reasons.add("inbox " + size + " of " + inboxCapacity + " full: the adapter is not keeping up");
        }
        String problem = transportProblem;
        if (problem != null) {
            reasons.add(problem);
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private String notInstalled() {
        return "adapter type " + typeId + " is not installed";
    }

    @Override
    public String toString() {
        return "AdapterInstance[" + id + ", " + phase.kind() + "]";
    }
}
