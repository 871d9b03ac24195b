package nl.lantaarn.bench;

import static nl.lantaarn.bench.Simulators.number;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code api-read}: requests/s and latency of authenticated reads over the hub's HTTP API. Optionally loads the city
 * mix ({@link CityMix}) first with {@code PUT /api/v1/things/{thingId}}, then drives each scenario at a fixed number
 * of connections in a closed loop (every connection sends its next request when the previous answer is read; HTTP/1.1
 * keep-alive): {@code get} reads random things, {@code search-zone} and {@code search-near} search them. Latency is
 * from sending the request to having read the whole answer, recorded with HdrHistogram; requests that started in the
 * warm-up are not measured. A closed loop waits for the hub, so its latency does not include the queueing an open
 * arrival rate would cause beyond the concurrency (coordinated omission): read the figures as "at C requests in
 * flight". {@code bench/api-read.sh} starts a hub and runs this against it.
 */
@Command(name = "api-read", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure authenticated reads over the hub's HTTP API: GET of random things and searches, at a "
                + "fixed number of connections, reporting requests/s, p50/p95/p99/max latency and errors.",
            "Loads the city mix of things first (PUT /api/v1/things/{id}; needs a key with role writer and a rate "
                + "limit above the load) unless --no-load. bench/api-read.sh starts a hub and runs this."})
final class ApiReadCommand implements Callable<Integer> {

    static final List<String> SCENARIOS = List.of("get", "search-zone", "search-near");
    /** Highest latency recorded exactly: one minute, in microseconds. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KEY_PATIENCE = Duration.ofSeconds(30);
    private static final Duration INDEX_PATIENCE = Duration.ofSeconds(120);
    private static final int NEAR_METRES = 250;
    private static final int PAGE_SIZE = 20;

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "The hub (default: http://127.0.0.1 with the running hub's HTTP port, from "
                    + "<home>/data/run/hub.properties; else " + CitizenReportsCommand.PORT_ENV + "; else "
                    + CitizenReportsCommand.DEFAULT_PORT + ").")
    private String url;

    @Option(names = "--api-key-file", paramLabel = "F",
            description = "File holding the API key (default: the environment variable "
                    + CitizenReportsCommand.KEY_ENV + "); role writer to load, reader is enough with --no-load.")
    private Path apiKeyFile;

    @Option(names = "--things", paramLabel = "N", defaultValue = "100000",
            description = "Things of the city mix to load and read, ids 0..N-1 (default: ${DEFAULT-VALUE}).")
    private int things;

    @Option(names = "--load", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create or replace the things first (default: yes); --no-load reads things an earlier run "
                    + "with the same --things and --seed loaded.")
    private boolean load;

    @Option(names = "--load-connections", paramLabel = "C", defaultValue = "8",
            description = "Connections that load the things (default: ${DEFAULT-VALUE}).")
    private int loadConnections;

    @Option(names = "--connections", paramLabel = "C", defaultValue = "32",
            description = "Requests in flight while measuring, one connection each (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "10",
            description = "Seconds of each scenario before measuring (default: ${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "30",
            description = "Seconds each scenario is measured (default: ${DEFAULT-VALUE}).")
    private double duration;

    @Option(names = "--scenarios", paramLabel = "LIST", split = ",", defaultValue = "get,search-zone,search-near",
            description = "Scenarios to run, in this order (default: ${DEFAULT-VALUE}).")
    private List<String> scenarios;

    @Option(names = "--hub-pid", paramLabel = "PID",
            description = "Process of the hub, to report its CPU time (default: the running hub's, from "
                    + "<home>/data/run/hub.properties).")
    private Long hubPid;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
            description = "Seed of the things and of the random choices (default: ${DEFAULT-VALUE}).")
    private long seed;

    private HttpClient http;
    private URI base;
    private String authorization;

    @Override
    public Integer call() {
        validate();
        Map<String, String> env = System.getenv();
        Path home = BrokerTarget.home(env);
        try {
            base = CitizenReportsCommand.baseUri(url, home, env);
            authorization = "Bearer " + CitizenReportsCommand.apiKey(apiKeyFile, env);
            if (hubPid == null) {
                hubPid = BrokerTarget.runningHub(BrokerTarget.hubInfoFile(home))
                        .map(p -> p.getProperty("pid")).map(String::strip).filter(s -> s.matches("[0-9]+"))
                        .map(Long::valueOf).orElse(null);
            }
            http = client(Math.max(connections, loadConnections));
            awaitKeyAccepted();
            int failures = 0;
            if (load) {
                failures += loadThings();
                awaitIndexed();
            }
            for (String scenario : scenarios) {
                failures += measure(scenario);
            }
            return failures == 0 ? 0 : 1;
        } catch (ToolException e) {
            System.err.println("api-read: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            stop(http);
        }
    }

    /**
     * Jetty's HTTP client (HTTP/1.1, keep-alive), with a connection for every thread that sends: it costs the two
     * shared cores less per request than the JDK's client, so more of them are left to the hub.
     */
    static HttpClient client(int connections) throws ToolException {
        // before Jetty's first logger: its debug and info lines are of no use here
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(connections);
        client.setConnectTimeout(5000);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        // no Accept-Encoding: the answers as the hub sends them to a plain client
        client.getContentDecoderFactories().clear();
        try {
            client.start();
        } catch (Exception e) {
            throw new ToolException("cannot start the HTTP client: " + e);
        }
        return client;
    }

    private static void stop(HttpClient client) {
        if (client != null) {
            try {
                client.stop();
            } catch (Exception e) {
                System.err.println("api-read: stopping the HTTP client: " + e);
            }
        }
    }

    private void validate() {
        Simulators.requireAtLeastOne(spec, "--things", things);
        Simulators.requireAtLeastOne(spec, "--connections", connections);
        Simulators.requireAtLeastOne(spec, "--load-connections", loadConnections);
        Simulators.requirePositive(spec, "--duration", duration);
        if (!(warmup >= 0) || Double.isInfinite(warmup)) {
            throw new ParameterException(spec.commandLine(), "--warmup must be 0 or more, not " + warmup);
        }
        if (things > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--things must be at most 1000000 (the ids have six "
                    + "digits), not " + things);
        }
        for (String scenario : scenarios) {
            if (!SCENARIOS.contains(scenario)) {
                throw new ParameterException(spec.commandLine(), "--scenarios: unknown scenario '" + scenario
                        + "'; choose from " + String.join(", ", SCENARIOS));
            }
        }
    }

    /** An answer: its status and body. */
    record Answer(int status, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One request with the key; {@code json} is the body of a PUT, else null. No answer is an IOException. */
    private Answer send(HttpMethod method, String pathAndQuery, String json) throws IOException, InterruptedException {
        var request = http.newRequest(base.resolve(pathAndQuery)).method(method)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, authorization))
                .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (json != null) {
            request.body(new StringRequestContent("application/json", json, StandardCharsets.UTF_8));
        }
        try {
            ContentResponse response = request.send();
            return new Answer(response.getStatus(), response.getContent());
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    /** A new client file reaches the hub within seconds: wait until a read is no longer refused as unknown. */
    private void awaitKeyAccepted() throws ToolException, InterruptedException {
        long deadline = System.nanoTime() + KEY_PATIENCE.toNanos();
        while (true) {
            String problem;
            try {
                Answer answer = send(HttpMethod.GET, "/api/v1/things?limit=1", null);
                if (answer.status() == 200) {
                    return;
                }
                problem = "HTTP " + answer.status() + " " + abbreviate(answer.text());
                if (answer.status() == 403) {
                    throw new ToolException("the hub refuses reads with this key (" + problem + "); use a key whose "
                            + "client has role reader (writer to load)");
                }
            } catch (IOException e) {
                problem = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new ToolException("the hub at " + base + " did not accept the API key within "
                        + KEY_PATIENCE.toSeconds() + " s (last answer: " + problem + "); check --url and the key");
            }
            Thread.sleep(200);
        }
    }

    /** PUTs things 0..N-1 from {@code --load-connections} threads; answers the number of failed writes. */
    private int loadThings() throws InterruptedException {
        System.out.printf(Locale.ROOT, "Loading %s things (PUT /api/v1/things/{id}) over %d connections to %s%n",
                number(things), loadConnections, base);
        AtomicInteger next = new AtomicInteger();
        LongAdder written = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < loadConnections; t++) {
            Thread loader = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < things; i = next.getAndIncrement()) {
                    try {
                        Answer answer = send(HttpMethod.PUT, "/api/v1/things/" + CityMix.id(i), CityMix.json(seed, i));
                        if (answer.status() == 201 || answer.status() == 204) {
                            written.increment();
                        } else {
                            failed.increment();
                            firstFailure.compareAndSet(null, "PUT " + CityMix.id(i) + ": HTTP " + answer.status()
                                    + " " + abbreviate(answer.text()));
                        }
                    } catch (IOException e) {
                        failed.increment();
                        firstFailure.compareAndSet(null, "PUT " + CityMix.id(i) + ": " + e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "api-read-load-" + t);
            loader.start();
            threads.add(loader);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "Loaded %s things in %.1f s (%s things/s); failed: %d%s%n",
                number(written.sum()), seconds, number(Math.round(written.sum() / seconds)), failed.sum(),
                firstFailure.get() == null ? "" : " (first: " + firstFailure.get() + ")");
        return (int) Math.min(Integer.MAX_VALUE, failed.sum());
    }

    /** The search index follows the twin's events: wait until it counts every thing loaded. */
    private void awaitIndexed() throws ToolException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + INDEX_PATIENCE.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                Answer answer = send(HttpMethod.GET, "/api/v1/search/things/count", null);
                last = "HTTP " + answer.status() + " " + abbreviate(answer.text());
                if (answer.status() == 200 && Long.parseLong(answer.text().strip()) >= things) {
                    System.out.printf(Locale.ROOT, "Search index holds them %.1f s after the load%n",
                            (System.nanoTime() - start) / 1e9);
                    return;
                }
            } catch (IOException | NumberFormatException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new ToolException("the search index did not reach " + things + " things within "
                + INDEX_PATIENCE.toSeconds() + " s (last count: " + last + ")");
    }

    /** The path and query of a scenario's next GET. */
    interface Requests {
        String next(SplittableRandom random);
    }

    Requests requests(String scenario) {
        return switch (scenario) {
            case "get" -> random -> "/api/v1/things/" + CityMix.id(random.nextInt(things));
            case "search-zone" -> random -> "/api/v1/search/things?filter="
                    + URLEncoder.encode("eq(attributes/zone,\"" + CityMix.zone(random.nextInt(CityMix.ZONES)) + "\")",
                            StandardCharsets.UTF_8) + "&size=" + PAGE_SIZE;
            case "search-near" -> random -> String.format(Locale.ROOT,
                    "/api/v1/search/things?near=%.5f,%.5f,%d&size=%d",
                    CityMix.MIN_LAT + random.nextDouble() * CityMix.LAT_SPAN,
                    CityMix.MIN_LON + random.nextDouble() * CityMix.LON_SPAN, NEAR_METRES, PAGE_SIZE);
            default -> throw new IllegalArgumentException(scenario);
        };
    }

    static String describe(String scenario) {
        return switch (scenario) {
            case "get" -> "GET /api/v1/things/{id} of a random thing";
            case "search-zone" -> "GET /api/v1/search/things?filter=eq(attributes/zone,\"wijk-NN\")&size=" + PAGE_SIZE
                    + " of a random zone of " + CityMix.ZONES;
            case "search-near" -> "GET /api/v1/search/things?near=<random point>," + NEAR_METRES + "&size="
                    + PAGE_SIZE;
            default -> scenario;
        };
    }

    /** Runs one scenario; answers the number of failed requests. */
    private int measure(String scenario) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%n%s: %s%n  %d connections, %s s warm-up, %s s measured%n", scenario,
                describe(scenario), connections, number(warmup), number(duration));
        Requests requests = requests(scenario);
        Result result = drive(requests, connections, warmup, duration, seed ^ scenario.hashCode());
        System.out.print(result.text(hubPid != null));
        return (int) Math.min(Integer.MAX_VALUE, result.errors());
    }

    private Result drive(Requests requests, int threads, double warmupSeconds, double durationSeconds, long runSeed)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (durationSeconds * 1e9);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder failures = new LongAdder();
        LongAdder bytes = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(runSeed);
        AtomicLong lastMeasuredEnd = new AtomicLong(measureFrom);
        // CPU and load are read when the measurement starts, on the first worker past the warm-up
        Snapshot[] atStart = new Snapshot[1];
        Object startLock = new Object();
        for (int t = 0; t < threads; t++) {
            Histogram histogram = new Histogram(HIGHEST_MICROS, 3);
            histograms.add(histogram);
            SplittableRandom random = seeds.split();
            Thread worker = new Thread(() -> {
                while (true) {
                    long sent = System.nanoTime();
                    if (sent >= end) {
                        return;
                    }
                    boolean measured = sent >= measureFrom;
                    if (measured && atStart[0] == null) {
                        synchronized (startLock) {
                            if (atStart[0] == null) {
                                atStart[0] = snapshot();
                            }
                        }
                    }
                    String path = requests.next(random);
                    try {
                        Answer answer = send(HttpMethod.GET, path, null);
                        long done = System.nanoTime();
                        if (!measured) {
                            continue;
                        }
                        histogram.recordValue(Math.min(HIGHEST_MICROS, (done - sent) / 1000));
                        lastMeasuredEnd.accumulateAndGet(done, Math::max);
                        statuses.computeIfAbsent(answer.status(), s -> new LongAdder()).increment();
                        bytes.add(answer.body().length);
                        if (answer.status() != 200) {
                            firstError.compareAndSet(null, path + ": HTTP " + answer.status() + " "
                                    + abbreviate(answer.text()));
                        }
                    } catch (IOException e) {
                        if (measured) {
                            failures.increment();
                            firstError.compareAndSet(null, path + ": " + e.getMessage());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "api-read-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Snapshot atEnd = snapshot();
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        histograms.forEach(all::add);
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((status, count) -> byStatus.put(status, count.sum()));
        // the measured window ends when the last measured answer arrived (no later than the end plus one request)
        double seconds = Math.max(durationSeconds, (lastMeasuredEnd.get() - measureFrom) / 1e9);
        return new Result(all, byStatus, failures.sum(), bytes.sum(), seconds, firstError.get(),
                atStart[0] == null ? atEnd : atStart[0], atEnd);
    }

    /** CPU time of this process and the hub, and the load average, at one moment. */
    record Snapshot(long nanos, LocalTime time, long clientCpuNanos, OptionalLong hubCpuNanos, String loadAverage) {
    }

    private Snapshot snapshot() {
        long client = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
        OptionalLong hub = hubPid == null ? OptionalLong.empty()
                : ProcessHandle.of(hubPid).flatMap(p -> p.info().totalCpuDuration())
                        .map(d -> OptionalLong.of(d.toNanos())).orElse(OptionalLong.empty());
        return new Snapshot(System.nanoTime(), LocalTime.now().truncatedTo(ChronoUnit.SECONDS), client, hub,
                loadAverage());
    }

    /** The 1-minute load average (Linux), or "?" where it cannot be read. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return load < 0 ? "?" : String.format(Locale.ROOT, "%.2f", load);
        }
    }

    /**
     * One scenario's outcome.
     *
     * @param latency  microseconds from sending to having read the answer, measured requests
     * @param statuses answers by HTTP status
     * @param failures requests without an answer (connection refused or reset, timeout)
     * @param seconds  length of the measured window
     */
    record Result(Histogram latency, Map<Integer, Long> statuses, long failures, long bytes, double seconds,
            String firstError, Snapshot start, Snapshot end) {

        long answered() {
            return statuses.values().stream().mapToLong(Long::longValue).sum();
        }

        long errors() {
            return failures + answered() - statuses.getOrDefault(200, 0L);
        }

        double perSecond() {
            return answered() / seconds;
        }

        Optional<Double> cores(boolean hub) {
            double wall = end.nanos() - start.nanos();
            if (wall <= 0) {
                return Optional.empty();
            }
            if (!hub) {
                return start.clientCpuNanos() < 0 ? Optional.empty()
                        : Optional.of((end.clientCpuNanos() - start.clientCpuNanos()) / wall);
            }
            if (start.hubCpuNanos().isEmpty() || end.hubCpuNanos().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of((end.hubCpuNanos().getAsLong() - start.hubCpuNanos().getAsLong()) / wall);
        }

        String text(boolean withHub) {
            StringBuilder out = new StringBuilder(512);
            long answered = answered();
            out.append(String.format(Locale.ROOT, "  requests: %s answered in %.1f s = %s/s; errors: %d",
                    number(answered), seconds, number(Math.round(perSecond())), errors()));
            if (failures > 0) {
                out.append(String.format(Locale.ROOT, " (%d without an answer)", failures));
            }
            out.append("; by status: ").append(statuses.isEmpty() ? "none" : statuses.toString());
            if (answered > 0) {
                out.append(String.format(Locale.ROOT, "; %s bytes per answer", number(Math.round((double) bytes
                        / answered))));
            }
            out.append('\n');
            if (firstError != null) {
                out.append("  first error: ").append(firstError).append('\n');
            }
            if (latency.getTotalCount() > 0) {
                out.append(String.format(Locale.ROOT,
                        "  latency ms: p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f%n",
                        ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(95)),
                        ms(latency.getValueAtPercentile(99)), ms(latency.getValueAtPercentile(99.9)),
                        ms(latency.getMaxValue()), latency.getMean() / 1000));
            }
            out.append("  CPU in cores while measured: ");
            if (withHub) {
                out.append("hub ").append(cores(true).map(ApiReadCommand::twoDecimals).orElse("?")).append(", ");
            }
            out.append("this load client ").append(cores(false).map(ApiReadCommand::twoDecimals).orElse("?"))
                    .append(" (of ").append(Runtime.getRuntime().availableProcessors()).append(")")
                    .append("; load average (1 min) ").append(start.loadAverage()).append(" -> ")
                    .append(end.loadAverage()).append("; measured ").append(start.time()).append(" to ")
                    .append(end.time()).append(" (local time)\n");
            return out.toString();
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    private static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String abbreviate(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
