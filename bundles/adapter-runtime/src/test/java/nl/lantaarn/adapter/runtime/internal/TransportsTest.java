package nl.lantaarn.adapter.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadReader;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/** Polling against a real HTTP server on a free port, and a watched folder on disk. */
class TransportsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path home;

    private final TwinServiceComponent twin = new TwinServiceComponent(new MemoryTwinStore());
    private final MemoryDeadLetters deadLetters = new MemoryDeadLetters();
    private final List<InboundMessage> seen = new CopyOnWriteArrayList<>();
    private AdapterRegistry registry;
    private HttpServer server;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
        if (server != null) {
            server.stop(0);
        }
        twin.deactivate();
    }

    private void start(TestFactory factory) {
        registry = new AdapterRegistry(twin, deadLetters, home, new RuntimeSettings(100, 1024, Duration.ofSeconds(5),
                Duration.ofSeconds(30)));
        registry.factoryAdded(factory, factory, "test 1");
    }

    /** Maps {@code {"id":"x","count":n}} to thing {@code nl.test.crowd:x}, keeping the message. */
    private final TestFactory.Mapping byId = (config, message) -> {
        seen.add(message);
        JsonObject json = PayloadReader.jsonObject(message);
        String id = PayloadReader.optionalString(json, "id")
                .orElseThrow(() -> new PayloadRejectedException("field 'id' is missing"));
        return List.of(ThingUpdate.merge(ThingId.of("nl.test.crowd", id), JsonObject.of(
                "{\"features\":{\"crowd\":{\"properties\":{\"count\":" + PayloadReader.requiredNumber(json, "count")
                        + "}}}}")));
    };

    private URI serve(String path, int status, String body) throws IOException {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.start();
        }
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void pollingMapsEachSuccessfulResponse() throws IOException {
        URI url = serve("/counts", 200, "{\"id\":\"p-1\",\"count\":7}");
        start(new TestFactory("poller", true, config -> Inbound.poll(url, Duration.ofSeconds(1)), byId));

        await().atMost(WAIT).until(() -> twin.retrieve(ThingId.of("nl.test.crowd", "p-1")).isPresent());
        InboundMessage first = seen.get(0);
        assertThat(first.origin()).isEqualTo(url.toString());
        assertThat(first.attribute(InboundMessage.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(registry.status("poller").orElseThrow().inbound()).isEqualTo("poll:" + url + " (every PT1S)");
        // polled again at the interval
        await().atMost(WAIT).until(() -> seen.size() >= 2);
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void anErrorStatusBecomesADeadLetterNamingIt() throws IOException {
        URI url = serve("/down", 503, "{\"error\":\"maintenance\"}");
        start(new TestFactory("poller", true, config -> Inbound.poll(url, Duration.ofSeconds(1)), byId));

        await().atMost(WAIT).until(() -> !deadLetters.letters.isEmpty());
        assertThat(deadLetters.letters.get(0).reason()).isEqualTo("GET " + url + " answered HTTP 503, expected 2xx");
        assertThat(deadLetters.letters.get(0).payloadAsString()).isEqualTo("{\"error\":\"maintenance\"}");
        assertThat(deadLetters.letters.get(0).origin()).isEqualTo(url.toString());
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnreachableUrlDegradesTheInstanceWithoutDeadLetters() throws IOException {
        URI url = serve("/gone", 200, "{}");
        server.stop(0);
        server = null;
        start(new TestFactory("poller", true, config -> Inbound.poll(url, Duration.ofSeconds(1)), byId));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(registry.status("poller").orElseThrow().state()).isEqualTo(AdapterState.DEGRADED);
            assertThat(registry.status("poller").orElseThrow().reason()).startsWith("GET " + url + " failed: ");
        });
        assertThat(deadLetters.letters).isEmpty();
    }

    @Test
    void aWatchedFolderMapsEachFileAndMovesItByOutcome() throws IOException {
        Path folder = home.resolve("inbox/counts");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("a.json"), "{\"id\":\"f-1\",\"count\":3}");
        Files.writeString(folder.resolve("b.json"), "{\"count\":3}");
        Files.writeString(folder.resolve("c.json.part"), "{\"id\":\"f-3\",\"count\":3}");
        start(new TestFactory("files", true, config -> Inbound.folder("inbox/counts"), byId));

        await().atMost(WAIT).until(() -> Files.exists(folder.resolve("done/a.json"))
                && Files.exists(folder.resolve("failed/b.json")));
        assertThat(twin.retrieve(ThingId.of("nl.test.crowd", "f-1"))).isPresent();
        assertThat(deadLetters.letters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo("field 'id' is missing");
            assertThat(letter.origin()).isEqualTo(folder.resolve("b.json").toString());
        });
        assertThat(seen).extracting(m -> m.attribute(InboundMessage.FILE_NAME)).containsExactly("a.json", "b.json");
        assertThat(folder.resolve("a.json")).doesNotExist();
        assertThat(folder.resolve("c.json.part")).exists();
    }
}
