package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import picocli.CommandLine;

/**
 * Short runs of {@code api-read} against a stand-in for the hub's API (JDK {@code HttpServer}: PUT and GET of things,
 * the search and its count), so that the harness keeps working in {@code ./mvnw verify}: loading, waiting for the key
 * and the index, driving each scenario, counting errors and printing the report. It asserts what was sent and counted,
 * never how fast. {@code bench/api-read.sh smoke} runs the same command against the real hub.
 */
class ApiReadCommandTest {

    private static final String KEY = "ltn_bench-test-key";

    @TempDir
    Path work;

    private HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private final List<String> reads = new CopyOnWriteArrayList<>();
    private final List<String> searches = new CopyOnWriteArrayList<>();
    private final AtomicInteger unknownKeyAnswers = new AtomicInteger(2);
    private volatile int failEveryNthRead;
    private final AtomicInteger readCount = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        threads.shutdownNow();
    }

    @Test
    void loadsTheThingsThenMeasuresEveryScenarioWithoutErrors() throws Exception {
        Run run = run("--things", "30", "--warmup", "0.2", "--duration", "0.5", "--connections", "2");

        assertThat(run.exitCode()).as(run.out()).isZero();
        // every thing of the mix was PUT once, as Ditto JSON of its kind
        assertThat(stored).hasSize(30);
        for (int i = 0; i < 30; i++) {
            JsonObject thing = Json.parse(stored.get(CityMix.id(i))).asObject();
            assertThat(thing.get("attributes").asObject().getString("zone", "")).matches("wijk-[0-3][0-9]");
            assertThat(thing.get("features").asObject().names()).containsAnyOf("noise", "light", "crowd");
        }
        assertThat(run.out()).contains("Loaded 30 things", "get: GET /api/v1/things/{id}", "search-zone:",
                "search-near:", "latency ms: p50");
        assertThat(run.out().lines().filter(line -> line.contains("requests:")))
                .hasSize(3).allSatisfy(line -> assertThat(line).contains("errors: 0"));
        // reads only ask for loaded things; searches carry the zone filter or a point near Eindhoven
        assertThat(reads).isNotEmpty().allSatisfy(id -> assertThat(stored).containsKey(id));
        assertThat(searches).anyMatch(query -> query.matches("filter=eq\\(attributes/zone,\"wijk-\\d\\d\"\\)&size=20"))
                .anyMatch(query -> query.matches("near=51\\.\\d+,5\\.\\d+,250&size=20"));
    }

    @Test
    void countsErrorAnswersAndExitsWithOne() throws Exception {
        failEveryNthRead = 3;

        Run run = run("--things", "10", "--warmup", "0", "--duration", "0.5", "--connections", "2",
                "--scenarios", "get");

        assertThat(run.exitCode()).isEqualTo(1);
        String requests = run.out().lines().filter(line -> line.contains("requests:")).findFirst().orElseThrow();
        assertThat(requests).doesNotContain("errors: 0;").contains("503=");
        assertThat(run.out()).contains("first error: /api/v1/things/", "HTTP 503");
    }

    @Test
    void readsWithoutLoadingWhenToldSo() throws Exception {
        for (int i = 0; i < 5; i++) {
            stored.put(CityMix.id(i), CityMix.json(42, i));
        }

        Run run = run("--things", "5", "--no-load", "--warmup", "0", "--duration", "0.3", "--scenarios", "get");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).doesNotContain("Loading");
        assertThat(reads).isNotEmpty();
    }

    @Test
    void refusesAnUnknownScenario() throws Exception {
        Run run = run("--scenarios", "get,everything");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown scenario 'everything'");
    }

    @Test
    void theMixIsTheSameForTheSameSeedAndThing() {
        assertThat(CityMix.json(7, 12)).isEqualTo(CityMix.json(7, 12)).isNotEqualTo(CityMix.json(8, 12));
        assertThat(CityMix.id(0)).isEqualTo("nl.eindhoven.safety:noise-000000");
        assertThat(CityMix.id(100_000 - 1)).isEqualTo("nl.eindhoven.safety:noise-099999");
        assertThat(CityMix.id(4)).isEqualTo("nl.eindhoven.lighting:lamppost-000004");
    }

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) throws IOException {
        startStandIn();
        Path keyFile = Files.writeString(work.resolve("api.key"), KEY + "\n");
        List<String> all = new ArrayList<>(List.of("api-read", "--url",
                "http://127.0.0.1:" + server.getAddress().getPort(), "--api-key-file", keyFile.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new BenchMain()).execute(all.toArray(String[]::new));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The API as far as {@code api-read} uses it; the first reads refuse the key, like a hub that has not seen it. */
    private void startStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/api/v1/", exchange -> {
            try (exchange) {
                handle(exchange);
            }
        });
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        String method = exchange.getRequestMethod();
        if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "{\"title\":\"no key\"}");
        } else if (path.equals("/api/v1/things") && method.equals("GET")) {
            answer(exchange, unknownKeyAnswers.getAndDecrement() > 0 ? 401 : 200, "[]");
        } else if (path.startsWith("/api/v1/things/") && method.equals("PUT")) {
            assertThat(exchange.getRequestHeaders().getFirst("Content-Type")).isEqualTo("application/json");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = path.substring("/api/v1/things/".length());
            answer(exchange, stored.put(id, body) == null ? 201 : 204, "");
        } else if (path.startsWith("/api/v1/things/") && method.equals("GET")) {
            String id = path.substring("/api/v1/things/".length());
            reads.add(id);
            String thing = stored.get(id);
            if (failEveryNthRead > 0 && readCount.incrementAndGet() % failEveryNthRead == 0) {
                answer(exchange, 503, "{\"title\":\"Twin store unavailable\"}");
            } else {
                answer(exchange, thing == null ? 404 : 200, thing == null ? "{\"title\":\"Thing not found\"}" : thing);
            }
        } else if (path.equals("/api/v1/search/things/count")) {
            answer(exchange, 200, Integer.toString(stored.size()));
        } else if (path.equals("/api/v1/search/things")) {
            searches.add(URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8));
            answer(exchange, 200, "{\"items\":[]}");
        } else {
            answer(exchange, 404, "{\"title\":\"Not found\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
