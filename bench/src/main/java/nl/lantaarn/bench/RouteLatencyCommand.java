package nl.lantaarn.bench;

import static nl.lantaarn.bench.Simulators.number;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import org.HdrHistogram.Histogram;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code route-latency}: the time from an MQTT publish of a noise reading to the delivery of the alert a route raised
 * on it at a webhook. Starts a webhook receiver (127.0.0.1), publishes readings above 70 dB(A) at a fixed rate like
 * {@code simulate noise}, and matches each alert that arrives to its reading through the reading's {@code measuredAt}:
 * the publish time to the microsecond, unique within the run, so it doubles as the sequence number. The hub must
 * route {@code sim/noise/+} readings (demo noise adapter) to a {@code hub:alert} without de-duplication on a webhook
 * channel to this receiver; {@code bench/route-latency.sh} sets that up.
 */
@Command(name = "route-latency", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the latency from an MQTT publish of a noise reading to the delivery of the alert a "
                + "route raises on it at a webhook (this command's receiver), with lost and duplicate alerts.",
            "The hub needs a route sim/noise readings -> hub:alert (dedupWindow PT0S) on a webhook channel whose url is "
                + "http://127.0.0.1:<--webhook-port>/alerts; bench/route-latency.sh starts such a hub."})
final class RouteLatencyCommand implements Callable<Integer>, PacedPublisher.Simulation {

    static final String WEBHOOK_PATH = "/alerts";
    private static final String MEASURED_AT = "\"measuredAt\":\"";
    /** Highest latency recorded exactly: 10 minutes, in microseconds. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    @Spec
    private CommandSpec spec;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "5000",
            description = "Readings per second (default: ${DEFAULT-VALUE}); each should raise one alert.")
    private double rate;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "60",
            description = "Seconds measured, after the warm-up (default: ${DEFAULT-VALUE}).")
    private double duration;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "10",
            description = "Seconds of readings first, at the same rate, whose alerts are not measured (default: "
                    + "${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "500",
            description = "Number of sensors, n-1..n-N, taking turns (default: ${DEFAULT-VALUE}).")
    private int sensors;

    @Option(names = "--webhook-port", paramLabel = "P", defaultValue = "0",
            description = "Port of the webhook receiver on 127.0.0.1 (default: a free port, printed).")
    private int webhookPort;

    @Option(names = "--drain", paramLabel = "S", defaultValue = "30",
            description = "Seconds to wait after the last reading for alerts still on their way (default: "
                    + "${DEFAULT-VALUE}).")
    private double drain;

    @Mixin
    private MqttTargetOptions broker;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random levels, to repeat a run.")
    private Long seed;

    private Receiver receiver;
    private Clock clock;
    private long warmupCount;
    private int exitCode;

    @Override
    public Integer call() {
        Simulators.requireAtLeastOne(spec, "--sensors", sensors);
        Simulators.requirePositive(spec, "--rate", rate);
        Simulators.requirePositive(spec, "--duration", duration);
        if (!(warmup >= 0) || Double.isInfinite(warmup)) {
            throw new ParameterException(spec.commandLine(), "--warmup must be 0 or more, not " + warmup);
        }
        if (!(drain >= 0) || Double.isInfinite(drain)) {
            throw new ParameterException(spec.commandLine(), "--drain must be 0 or more, not " + drain);
        }
        if (webhookPort < 0 || webhookPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--webhook-port must be a TCP port (0-65535), not "
                    + webhookPort);
        }
        long planned = (long) Math.ceil(rate * (warmup + duration)) + 1;
        if (planned > Integer.MAX_VALUE - 8) {
            throw new ParameterException(spec.commandLine(), "--rate times (--warmup + --duration) is more readings "
                    + "than one run can track (" + planned + "); shorten the run");
        }
        warmupCount = (long) Math.ceil(rate * warmup);
        clock = new Clock();
        try {
            receiver = new Receiver(webhookPort, (int) planned, warmupCount, clock, rate);
        } catch (IOException e) {
            System.err.println("route-latency: cannot listen on 127.0.0.1:" + webhookPort + " (" + e.getMessage()
                    + "); choose another --webhook-port");
            return 1;
        }
        try {
            System.out.println("Webhook receiver listening on " + receiver.url());
            int published = PacedPublisher.simulate("route-latency", broker, warmup + duration, this);
            return published != 0 ? published : exitCode;
        } finally {
            receiver.close();
        }
    }

    @Override
    public String firstLine(BrokerTarget target) {
        return String.format(Locale.ROOT, "Publishing %s readings/s above 70 dB(A) from %d sensors to %s: %s s "
                + "warm-up, then %s s measured", number(rate), sensors, target.describe(), number(warmup),
                number(duration));
    }

    @Override
    public PacedPublisher.Pacer pacer() {
        RandomGenerator random = Simulators.random(seed);
        NoiseReadings.Sensor[] all = new NoiseReadings.Sensor[sensors];
        for (int i = 0; i < sensors; i++) {
            all[i] = NoiseReadings.sensor(i, sensors);
        }
        clock.start();
        return PacedPublisher.Pacer.atRate(rate, k -> {
            NoiseReadings.Sensor sensor = all[(int) (k % all.length)];
            // above the route's 70 dB(A): every reading raises an alert
            double laeq = 70.5 + Math.round(random.nextDouble(0, 14.5) * 10) / 10.0;
            long micros = receiver.sent(k);
            byte[] payload = payload(sensor, laeq, micros).getBytes(StandardCharsets.UTF_8);
            return new PacedPublisher.Outgoing(sensor.topic(), payload, null);
        });
    }

    /** A reading as {@code simulate noise} sends it, with {@code measuredAt} to the microsecond. */
    static String payload(NoiseReadings.Sensor sensor, double laeq, long epochMicros) {
        return "{\"id\":\"" + sensor.id() + "\",\"laeq\":" + String.format(Locale.ROOT, "%.1f", laeq)
                + ",\"measuredAt\":\"" + Clock.instant(epochMicros) + "\""
                + ",\"lat\":" + String.format(Locale.ROOT, "%.6f", sensor.lat())
                + ",\"lon\":" + String.format(Locale.ROOT, "%.6f", sensor.lon()) + "}";
    }

    @Override
    public String summary(PacedPublisher.Result result) {
        Report report = receiver.awaitAndReport(result, (long) (drain * 1000));
        exitCode = report.lost() == 0 && report.duplicates() == 0 ? 0 : 1;
        return report.text(result, rate, sensors, warmup, duration);
    }

    /** Wall-clock microseconds read from the monotonic clock: unaffected by clock steps during the run. */
    static final class Clock {

        private volatile long baseMicros;
        private volatile long baseNanos;

        Clock() {
            start();
        }

        void start() {
            Instant now = Instant.now();
            baseNanos = System.nanoTime();
            baseMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }

        long nowMicros() {
            return baseMicros + (System.nanoTime() - baseNanos) / 1000;
        }

        long nanosSinceStart() {
            return System.nanoTime() - baseNanos;
        }

        static Instant instant(long epochMicros) {
            return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                    Math.floorMod(epochMicros, 1_000_000L) * 1000L);
        }

        static long micros(Instant instant) {
            return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
        }
    }

    /**
     * The outcome.
     *
     * @param received    alerts delivered (duplicates included)
     * @param unique      readings whose alert arrived
     * @param duplicates  alerts delivered again for a reading already seen
     * @param unmatched   alerts not matching a reading of this run
     * @param lost        readings acknowledged by the broker whose alert did not arrive
     * @param fromPublish latency from the publish, microseconds, measured readings only
     * @param fromDue     latency from the time the reading was due by the rate (includes any delay of the
     *                    publisher itself), microseconds
     * @param measuredRate alerts of measured readings delivered per second of the measurement
     */
    record Report(long received, long unique, long duplicates, long unmatched, long lost, Histogram fromPublish,
            Histogram fromDue, double measuredRate) {

        String text(PacedPublisher.Result result, double rate, int sensors, double warmup, double duration) {
            StringBuilder out = new StringBuilder(512);
            out.append(String.format(Locale.ROOT, "Route latency, MQTT publish -> webhook delivery: %s readings/s "
                    + "from %d sensors, %s s warm-up + %s s measured%n", number(rate), sensors, number(warmup),
                    number(duration)));
            out.append(String.format(Locale.ROOT, "published: %d acknowledged, %d failed, in %.1f s (%s/s)%n",
                    result.sent(), result.failed(), result.seconds(), number(result.rate())));
            out.append(String.format(Locale.ROOT, "alerts: %d received, %d unique, %d lost, %d duplicates, %d "
                    + "unmatched; measured: %d alerts, %s/s%n", received, unique, lost, duplicates, unmatched,
                    fromPublish.getTotalCount(), number(measuredRate)));
            out.append(line("latency from publish (ms)", fromPublish)).append(System.lineSeparator());
            out.append(line("latency from due time (ms)", fromDue));
            if (!result.drained()) {
                out.append(System.lineSeparator()).append("note: some readings were still unacknowledged by the "
                        + "broker at the end");
            }
            return out.toString();
        }

        private static String line(String head, Histogram h) {
            if (h.getTotalCount() == 0) {
                return head + ": no alerts measured";
            }
            return String.format(Locale.ROOT, "%s: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f  "
                    + "(n=%d)", head, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                    h.getMean() / 1000.0, h.getTotalCount());
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /**
     * The webhook receiver: one handler thread (a channel delivers one alert at a time), which alone records into
     * the histograms.
     */
    static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService handler;
        private final Clock clock;
        private final long warmupCount;
        private final double periodNanos;
        /** measuredAt (epoch microseconds) of reading k; strictly increasing. */
        private final long[] sentMicros;
        private final AtomicLong sentCount = new AtomicLong();
        private final AtomicIntegerArray seen;
        private final Histogram fromPublish = new Histogram(HIGHEST_MICROS, 3);
        private final Histogram fromDue = new Histogram(HIGHEST_MICROS, 3);
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong unique = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private final AtomicLong unmatched = new AtomicLong();
        private volatile long firstMeasuredMicros = -1;
        private volatile long lastMeasuredMicros = -1;
        private long lastSent;

        Receiver(int port, int capacity, long warmupCount, Clock clock, double rate) throws IOException {
            this.clock = clock;
            this.warmupCount = warmupCount;
            this.periodNanos = 1e9 / rate;
            this.sentMicros = new long[capacity];
            this.seen = new AtomicIntegerArray(capacity);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            handler = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "route-latency-webhook");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(handler);
            server.createContext(WEBHOOK_PATH, this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + WEBHOOK_PATH;
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** Records that reading {@code k} is published now; its measuredAt, unique and increasing. */
        long sent(long k) {
            if (k >= sentMicros.length) {
                throw new IllegalStateException("more readings than planned: " + k);
            }
            long micros = Math.max(clock.nowMicros(), lastSent + 1);
            lastSent = micros;
            sentMicros[(int) k] = micros;
            sentCount.set(k + 1);
            return micros;
        }

        private void handle(HttpExchange exchange) throws IOException {
            long nowMicros = clock.nowMicros();
            long nowNanos = clock.nanosSinceStart();
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                record(body, nowMicros, nowNanos);
                exchange.sendResponseHeaders(204, -1);
            }
        }

        private void record(String body, long nowMicros, long nowNanos) {
            received.incrementAndGet();
            int k = sequence(body);
            if (k < 0) {
                unmatched.incrementAndGet();
                return;
            }
            if (seen.getAndIncrement(k) > 0) {
                duplicates.incrementAndGet();
                return;
            }
            unique.incrementAndGet();
            if (k < warmupCount) {
                return;
            }
            if (firstMeasuredMicros < 0) {
                firstMeasuredMicros = nowMicros;
            }
            lastMeasuredMicros = nowMicros;
            fromPublish.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nowMicros - sentMicros[k])));
            long dueNanos = (long) (k * periodNanos);
            fromDue.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (nowNanos - dueNanos) / 1000)));
        }

        /** The reading this alert was raised on, from its measuredAt; -1 when none of this run. */
        private int sequence(String body) {
            int at = body.indexOf(MEASURED_AT);
            if (at < 0) {
                return -1;
            }
            int start = at + MEASURED_AT.length();
            int end = body.indexOf('"', start);
            if (end < 0) {
                return -1;
            }
            long micros;
            try {
                micros = Clock.micros(Instant.parse(body.substring(start, end)));
            } catch (DateTimeParseException e) {
                return -1;
            }
            int count = (int) sentCount.get();
            int k = java.util.Arrays.binarySearch(sentMicros, 0, count, micros);
            return k >= 0 ? k : -1;
        }

        /** Waits (at most {@code drainMillis}) until every acknowledged reading's alert is in, then reports. */
        Report awaitAndReport(PacedPublisher.Result result, long drainMillis) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
            while (unique.get() < result.sent() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            server.stop(0);
            handler.shutdown();
            try {
                handler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long measured = fromPublish.getTotalCount();
            double seconds = (lastMeasuredMicros - firstMeasuredMicros) / 1e6;
            double measuredRate = measured > 1 && seconds > 0 ? (measured - 1) / seconds : 0;
            return new Report(received.get(), unique.get(), duplicates.get(), unmatched.get(),
                    Math.max(0, result.sent() - unique.get()), fromPublish.copy(), fromDue.copy(), measuredRate);
        }

        @Override
        public void close() {
            server.stop(0);
            handler.shutdownNow();
        }
    }
}
