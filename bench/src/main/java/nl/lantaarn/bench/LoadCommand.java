package nl.lantaarn.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3SubscribeBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code load}: the load generator of the compare benchmark. Publishes the benchmark's input messages
 * ({@link BenchDevices}) from {@code --connections} MQTT connections, open loop at {@code --rate} (or as fast as the
 * in-flight window allows), and reads the outputs on a connection of its own: the alerts a processing set-up
 * publishes on {@code bench/alerts/<kind>}, or, on a bare broker, the inputs themselves. Each output is matched to its
 * message through (device, T) ({@link LoadOutputs}); the report has counts, losses, throughput, latency and the CPU
 * and memory of the processes under test ({@link LoadReport}).
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publish the compare benchmark's device messages (TTN uplinks, sound events, crowd counts) "
                + "and measure the outputs: the alerts on bench/alerts/# (--mode processed) or the inputs "
                + "themselves (--mode passthrough, a bare broker).",
            "Reports published, lost, duplicate and unmatched messages, throughput, latency and the CPU and memory "
                + "of --pids; exit code 1 when anything was lost (QoS 1), duplicated or unmatched."})
final class LoadCommand implements Callable<Integer> {

    static final String ALERT_TOPICS = "bench/alerts/#";
    static final List<String> INPUT_TOPICS = List.of("v3/+/devices/+/up", SoundEvents.TOPIC_PREFIX + "+"
            + SoundEvents.TOPIC_SUFFIX, CrowdCounts.TOPIC_PREFIX + "+" + CrowdCounts.TOPIC_SUFFIX);
    /** Time between connecting and the first message: for the subscription and the publishing threads to start. */
    private static final long HEAD_START_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long SUBSCRIBE_TIMEOUT_SECONDS = 10;

    /** What the outputs are. */
    enum Mode {
        /** Alerts of a processing set-up, on {@value #ALERT_TOPICS}. */
        PROCESSED,
        /** The inputs themselves, from a bare broker. */
        PASSTHROUGH;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode named {@code processed} or {@code passthrough} (any case); null for anything else. */
        static Mode named(String text) {
            for (Mode mode : values()) {
                if (mode.text().equalsIgnoreCase(text.trim())) {
                    return mode;
                }
            }
            return null;
        }
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private MqttTargetOptions broker;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "10000",
            description = "Devices bench-000000.. (default: ${DEFAULT-VALUE}); 60 %% TTN, 20 %% sound, 20 %% crowd.")
    private int devices;

    @Option(names = "--connections", paramLabel = "C", defaultValue = "4",
            description = "Publishing connections, each with its share of the devices (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--qos", paramLabel = "0|1", defaultValue = "1",
            description = "QoS of the publishes and the subscription (default: ${DEFAULT-VALUE}).")
    private int qos;

    @Option(names = "--rate", paramLabel = "R|max", defaultValue = "1000",
            description = "Messages per second from all connections, open loop (default: ${DEFAULT-VALUE}); max: as "
                    + "fast as the end-to-end window allows: at most --inflight x --connections messages whose "
                    + "output has not arrived yet (QoS 1 only).")
    private String rateText;

    @Option(names = "--inflight", paramLabel = "W", defaultValue = "1000",
            description = "Most unacknowledged publishes per connection (default: ${DEFAULT-VALUE}).")
    private int inflight;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "10",
            description = "Seconds first whose messages are counted but not measured (default: ${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "30",
            description = "Seconds measured, after the warm-up (default: ${DEFAULT-VALUE}).")
    private double duration;

    @Option(names = "--drain", paramLabel = "S", defaultValue = "15",
            description = "Seconds to wait after the last publish for outputs still on their way (default: "
                    + "${DEFAULT-VALUE}).")
    private double drain;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "processed",
            description = "processed: read the alerts on " + ALERT_TOPICS + "; passthrough: read the inputs "
                    + "(bare broker) (default: ${DEFAULT-VALUE}).")
    private String modeText;

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "",
            description = "Name of the set-up, for the report and the result line.")
    private String label;

    @Option(names = "--phase", paramLabel = "TEXT", defaultValue = "",
            description = "Name of the run within the set-up (qos1-max, burst-10x, ...), for the result line.")
    private String phase;

    @Option(names = "--pids", paramLabel = "LIST", split = ",",
            description = "Process ids whose CPU and memory to report (comma-separated).")
    private List<Long> pids = new ArrayList<>();

    @Option(names = "--result-file", paramLabel = "F",
            description = "Append the results to this file as one JSON line.")
    private Path resultFile;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the places and values, to repeat a run.")
    private Long seed;

    private Mode mode;
    private double rate;
    private boolean max;
    private MqttQos mqttQos;
    private MessageLedger ledger;
    private BenchDevices.Device[] fleet;
    private long startNanos;
    private long baseMillis;
    private long totalNanos;
    private final LongAdder acknowledged = new LongAdder();
    /**
     * With {@code --rate max}: messages published whose output has not arrived yet. Bounding them measures what the
     * whole chain sustains: a broker acknowledges a publish long before the output is made, so a window on the
     * acknowledgements alone would only measure how fast the broker queues.
     */
    private Semaphore endToEnd;
    private final LongAdder windowStalls = new LongAdder();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    @Override
    public Integer call() {
        checkOptions();
        BrokerTarget target;
        try {
            target = broker.resolve(System.getenv());
        } catch (ToolException e) {
            System.err.println("load: " + e.getMessage());
            return 1;
        }
        String loadBefore = ProcessUsage.loadAverage();
        fleet = BenchDevices.devices(devices, Simulators.random(seed));
        ledger = new MessageLedger();
        List<Mqtt3AsyncClient> clients = new ArrayList<>();
        try {
            Mqtt3AsyncClient subscriber = connect(target, "sub");
            clients.add(subscriber);
            List<Mqtt3AsyncClient> publishers = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                Mqtt3AsyncClient publisher = connect(target, "pub" + c);
                clients.add(publisher);
                publishers.add(publisher);
            }
            baseMillis = Instant.now().getEpochSecond() * 1000L;
            long warmupNanos = (long) (warmup * 1e9);
            totalNanos = (long) ((warmup + duration) * 1e9);
            startNanos = System.nanoTime() + HEAD_START_NANOS;
            LoadOutputs outputs = new LoadOutputs(ledger, devices, baseMillis, startNanos,
                    mode == Mode.PASSTHROUGH, max ? 0 : 1e9 / rate, warmupNanos, totalNanos);
            if (max) {
                endToEnd = new Semaphore(inflight * connections);
                outputs.onUnique(endToEnd::release);
            }
            subscribe(subscriber, outputs, target);
            System.out.println(String.format(Locale.ROOT, "Publishing %s msg/s (QoS %d) from %d devices over %d "
                    + "connections to %s, reading %s: %s s warm-up, then %s s measured", max ? "as many" : rateText,
                    qos, devices, connections, target, mode == Mode.PASSTHROUGH ? String.join(", ", INPUT_TOPICS)
                            : ALERT_TOPICS, Simulators.number(warmup), Simulators.number(duration)));
            return run(subscriber, publishers, outputs, loadBefore);
        } catch (ToolException e) {
            System.err.println("load: " + e.getMessage());
            return 1;
        } finally {
            for (Mqtt3AsyncClient client : clients) {
                if (client.getState().isConnected()) {
                    client.disconnect();
                }
            }
        }
    }

    private void checkOptions() {
        if (devices < 1 || devices > BenchDevices.MAX_DEVICES) {
            throw usage("--devices must be 1.." + BenchDevices.MAX_DEVICES + " (six digits), not " + devices);
        }
        if (connections < 1 || connections > devices) {
            throw usage("--connections must be 1..--devices (" + devices + "), not " + connections);
        }
        if (qos != 0 && qos != 1) {
            throw usage("--qos must be 0 or 1, not " + qos);
        }
        mode = Mode.named(modeText);
        if (mode == null) {
            throw usage("--mode must be processed or passthrough, not '" + modeText + "'");
        }
        mqttQos = qos == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
        if (inflight < 1) {
            throw usage("--inflight must be at least 1, not " + inflight);
        }
        Simulators.requirePositive(spec, "--duration", duration);
        requireZeroOrMore("--warmup", warmup);
        requireZeroOrMore("--drain", drain);
        max = "max".equalsIgnoreCase(rateText.trim());
        if (max) {
            if (qos == 0) {
                throw usage("--rate max needs --qos 1: at QoS 0 the broker acknowledges nothing, so nothing would "
                        + "hold the publishers back; give a rate in messages per second");
            }
            rate = Double.NaN;
        } else {
            try {
                rate = Double.parseDouble(rateText.trim());
            } catch (NumberFormatException e) {
                throw usage("--rate must be a number of messages per second or max, not '" + rateText + "'");
            }
            Simulators.requirePositive(spec, "--rate", rate);
            double planned = Math.ceil(rate * (warmup + duration));
            if (planned >= MessageLedger.CAPACITY) {
                throw usage("--rate times (--warmup + --duration) is more messages than one run tracks ("
                        + MessageLedger.CAPACITY + "); shorten the run");
            }
        }
        for (long pid : pids) {
            if (!ProcessUsage.exists(pid)) {
                throw usage("--pids: no process " + pid + " runs on this machine");
            }
        }
    }

    private void requireZeroOrMore(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw usage(option + " must be 0 or more, not " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Connects anonymously unless {@code --username} or {@code --password-file} is given. */
    private Mqtt3AsyncClient connect(BrokerTarget target, String role) throws ToolException {
        boolean credentials = broker.credentialsGiven();
        try {
            return PacedPublisher.connect(target, "lantaarn-bench-load-" + ProcessHandle.current().pid() + "-" + role,
                    credentials);
        } catch (ToolException e) {
            throw credentials ? e : new ToolException(e.getMessage() + " (connected anonymously: give --username "
                    + "and --password-file for a broker that wants a user)");
        }
    }

    /** Subscribes the reading connection before anything is published; outputs go to {@code outputs}. */
    private void subscribe(Mqtt3AsyncClient subscriber, LoadOutputs outputs, BrokerTarget target)
            throws ToolException {
        ByteBuffer empty = ByteBuffer.allocate(0);
        boolean inputs = mode == Mode.PASSTHROUGH;
        // run on the client's own thread: handing each output to another thread costs more than reading it
        subscriber.publishes(MqttGlobalPublishFilter.SUBSCRIBED, publish -> outputs.accept(
                inputs ? publish.getTopic().toString() : null, publish.getPayload().orElse(empty), System.nanoTime()),
                Runnable::run);
        Mqtt3SubscribeBuilder.Start builder = Mqtt3Subscribe.builder();
        Mqtt3SubscribeBuilder.Complete subscribe = null;
        for (String filter : inputs ? INPUT_TOPICS : List.of(ALERT_TOPICS)) {
            subscribe = (subscribe == null ? builder : subscribe).addSubscription().topicFilter(filter).qos(mqttQos)
                    .applySubscription();
        }
        try {
            subscriber.subscribe(subscribe.build()).get(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ToolException("cannot subscribe to the outputs at " + target + ": "
                    + (e instanceof ExecutionException ? e.getCause() : "no answer within "
                            + SUBSCRIBE_TIMEOUT_SECONDS + " s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while subscribing");
        }
    }

    private int run(Mqtt3AsyncClient subscriber, List<Mqtt3AsyncClient> publishers, LoadOutputs outputs,
            String loadBefore) {
        List<PacedLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        SplittableRandom random = Simulators.random(seed == null ? null : seed + 1);
        for (int c = 0; c < connections; c++) {
            Connection connection = new Connection(c, publishers.get(c), random.split());
            PacedLoop loop = PacedLoop.start(inflight, Math.max(1, (long) Math.ceil(drain)));
            loops.add(loop);
            // the duration bounds the wait for room in flight: a broker that stops acknowledging ends the run
            double seconds = warmup + duration + HEAD_START_NANOS / 1e9 + 1;
            Thread thread = new Thread(() -> loop.run(connection.schedule, seconds, connection::send),
                    "load-publisher-" + c);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        try {
            long windowStart = startNanos + (long) (warmup * 1e9);
            long windowEnd = startNanos + totalNanos;
            waitUntil(windowStart, threads);
            long[] cpuBefore = cpu();
            long ownBefore = ProcessUsage.ownCpuNanos();
            long sampledFrom = System.nanoTime();
            waitUntil(windowEnd, threads);
            long[] cpuAfter = cpu();
            long ownAfter = ProcessUsage.ownCpuNanos();
            double window = (System.nanoTime() - sampledFrom) / 1e9;
            for (Thread thread : threads) {
                join(thread);
            }
            long publishEnd = System.nanoTime() - startNanos;
            outputs.publishingEnded(publishEnd);
            long deadline = System.nanoTime() + (long) (drain * 1e9);
            while (outputs.unique() < acknowledged.sum() && System.nanoTime() < deadline
                    && subscriber.getState().isConnected()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            List<LoadReport.Usage> usages = usages(cpuBefore, cpuAfter, window);
            LoadReport report = report(outputs, publishEnd, usages, (ownAfter - ownBefore) / 1e9 / window,
                    loadBefore, !subscriber.getState().isConnected());
            System.out.println(report.text());
            if (firstFailure.get() != null) {
                System.out.println("first publish failure: " + firstFailure.get());
            }
            if (windowStalls.sum() > 0) {
                System.out.println("the end-to-end window was full for a second " + windowStalls.sum()
                        + " times (outputs lost or the set-up stalled)");
            }
            appendResult(report);
            return report.failures().isEmpty() ? 0 : 1;
        } finally {
            loops.forEach(PacedLoop::close);
        }
    }

    /**
     * Waits for room in the end-to-end window; after a second without room (outputs lost, or a set-up that stalls)
     * it publishes anyway, so a loss cannot stop the run, and counts the stall.
     */
    private void awaitWindow() {
        try {
            if (!endToEnd.tryAcquire(1, TimeUnit.SECONDS)) {
                windowStalls.increment();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps until {@code deadline} (nanoTime) or until every publisher has stopped (Ctrl-C, a lost connection). */
    private static void waitUntil(long deadline, List<Thread> publishers) {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0 && publishers.stream().anyMatch(Thread::isAlive)) {
            LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long[] cpu() {
        long[] nanos = new long[pids.size()];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = ProcessUsage.cpuNanos(pids.get(i)).orElse(-1);
        }
        return nanos;
    }

    private List<LoadReport.Usage> usages(long[] before, long[] after, double seconds) {
        List<LoadReport.Usage> usages = new ArrayList<>();
        for (int i = 0; i < before.length; i++) {
            long pid = pids.get(i);
            double cores = before[i] < 0 || after[i] < 0 || seconds <= 0 ? Double.NaN
                    : (after[i] - before[i]) / 1e9 / seconds;
            OptionalLong heap = ProcessUsage.heapUsedKb(pid);
            usages.add(new LoadReport.Usage(pid, ProcessUsage.name(pid), cores,
                    LoadReport.Usage.orUnknown(ProcessUsage.statusKb(pid, "VmRSS")),
                    LoadReport.Usage.orUnknown(ProcessUsage.statusKb(pid, "VmHWM")),
                    LoadReport.Usage.orUnknown(heap)));
        }
        return usages;
    }

    /** Counts the ledger after the drain: what was published, acknowledged, failed and lost. */
    private LoadReport report(LoadOutputs outputs, long publishEnd, List<LoadReport.Usage> usages,
            double generatorCores, String loadBefore, boolean readerBroke) {
        LoadOutputs.Counts counts = outputs.counts();
        long windowStart = (long) (warmup * 1e9);
        long published = 0;
        long acked = 0;
        long failed = 0;
        long lost = 0;
        long inWindow = 0;
        for (long g = 0, end = ledger.end(); g < end; g++) {
            long at = ledger.publishedNanos(g);
            if (at < 0) {
                continue;
            }
            published++;
            if (at >= windowStart && at < totalNanos) {
                inWindow++;
            }
            if (ledger.isFailed(g)) {
                failed++;
            } else if (ledger.isAcknowledged(g)) {
                acked++;
                if (ledger.arrivals(g) == 0) {
                    lost++;
                }
            }
        }
        LoadReport.Setup setup = new LoadReport.Setup(label, phase, mode.text(), qos, rate, devices, connections, inflight,
                warmup, duration, drain);
        return new LoadReport(setup, published, acked, failed, inWindow, counts, lost, readerBroke, publishEnd,
                usages, generatorCores, loadBefore, ProcessUsage.loadAverage());
    }

    private void appendResult(LoadReport report) {
        if (resultFile == null) {
            return;
        }
        try {
            Files.writeString(resultFile, report.json() + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("load: cannot append to " + resultFile + " (" + e.getMessage() + ")");
        }
    }

    /**
     * One publishing connection: the devices {@code i} with {@code i % connections == c}, taking turns with the other
     * connections' devices as the global order {@code g} says; its k-th message is the k-th message of the run that
     * goes to one of its devices.
     */
    private final class Connection {

        final PacedLoop.Schedule schedule;
        private final int index;
        private final Mqtt3AsyncClient client;
        private final SplittableRandom random;
        private final int ownDevices;
        private final double periodNanos;
        private long loopStartNanos = -1;

        Connection(int index, Mqtt3AsyncClient client, SplittableRandom random) {
            this.index = index;
            this.client = client;
            this.random = random;
            this.ownDevices = (devices - index + connections - 1) / connections;
            this.periodNanos = max ? 0 : 1e9 / rate;
            this.schedule = this::dueNanos;
        }

        /** The run's message number of this connection's k-th message. */
        long message(long k) {
            return (k / ownDevices) * devices + index + (k % ownDevices) * connections;
        }

        /**
         * Nanoseconds after the loop's start at which message k is due: the common start plus the message's place
         * in the run (at max: now, until the run's time is up); -1 when past the end.
         */
        private long dueNanos(long k) {
            long now = System.nanoTime();
            if (loopStartNanos < 0) {
                loopStartNanos = now;
            }
            long g = message(k);
            if (g >= MessageLedger.CAPACITY) {
                return -1;
            }
            if (max) {
                return now - startNanos >= totalNanos ? -1 : Math.max(0, Math.max(startNanos, now) - loopStartNanos);
            }
            long due = (long) (g * periodNanos);
            return due >= totalNanos ? -1 : Math.max(0, startNanos + due - loopStartNanos);
        }

        boolean send(long k, Runnable answered) {
            if (endToEnd != null) {
                awaitWindow();
            }
            long g = message(k);
            int device = BenchDevices.deviceOf(g, devices);
            long sequence = BenchDevices.sequenceOf(g, devices);
            BenchDevices.Device target = fleet[device];
            byte[] payload = BenchDevices.payload(target, sequence, baseMillis + sequence, random);
            ledger.published(g, System.nanoTime() - startNanos);
            client.publishWith().topic(target.topic()).qos(mqttQos).payload(payload).send()
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            ledger.acknowledged(g);
                            acknowledged.increment();
                        } else {
                            ledger.failed(g);
                            firstFailure.compareAndSet(null, error);
                        }
                        answered.run();
                    });
            if (firstFailure.get() != null && !client.getState().isConnected()) {
                System.err.println("load: connection " + index + " lost its broker (" + firstFailure.get()
                        + "); it stops");
                return false;
            }
            return true;
        }
    }
}
