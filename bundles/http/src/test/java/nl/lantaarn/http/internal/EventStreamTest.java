package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.events.ThingModified;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * {@code GET /api/v1/events} over real HTTP against the real twin: filtered events, resuming with Last-Event-ID, the
 * gap event, the overflow of a client that does not read, and the refusals (401, 400, 429).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hanging stream, not a timing assertion
class EventStreamTest {

    private static final String KEY = "reader-key-events";
    private static final int RING = 20;
    private static final int BUFFER = 8;
    private static final int MAX_STREAMS = 4;

    /** Zone "stratumseind": every point east of longitude 5.47 (the test's own zones, not the search bundle's). */
    private static final ThingSearch ZONES = new ThingSearch() {
        @Override
        public List<String> thingIds(String rqlFilter, Near near, String zone, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> zonesAt(double longitude, double latitude) {
            return longitude > 5.47 ? List.of("stratumseind") : List.of();
        }

        @Override
        public Optional<ZoneInfo> zone(String zoneId) {
            return "stratumseind".equals(zoneId) ? Optional.of(new ZoneInfo(zoneId, "Stratumseind"))
                    : Optional.empty();
        }
    };

    private TwinServiceComponent twin;
    private EventFeed feed;
    private EventStreamServlet servlet;
    private Server server;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Stream<String>> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        twin = new TwinServiceComponent(new MemoryTwinStore());
        feed = new EventFeed(RING);
        // the twin's whiteboard binding, as DS does it
        Method addListener = TwinServiceComponent.class.getDeclaredMethod("addListener", TwinEventListener.class);
        addListener.setAccessible(true);
        addListener.invoke(twin, feed);
        servlet = new EventStreamServlet(feed,
                TestClients.authenticator(TestClients.client("wijkapp", "reader", KEY)), ThingPolicies.builtInDefault(), ZONES, BUFFER, 15,
                MAX_STREAMS, 10);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder headers = new FilterHolder(new ApiHeadersFilter());
        headers.setAsyncSupported(true);
        context.addFilter(headers, "/api/v1/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/api/v1/events");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        opened.forEach(Stream::close);
        servlet.deactivate();
        server.stop();
        twin.deactivate();
    }

    @Test
    void streamsOnlyTheChangesTheFilterTakes() throws Exception {
        Events events = open("?namespace=nl.test.safety&zone=stratumseind", Map.of());
        assertThat(events.response.statusCode()).isEqualTo(200);
        assertThat(events.response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(events.response.headers().firstValue("API-Version")).hasValue(ApiServlet.API_VERSION);
        assertThat(events.response.headers().firstValue("Cache-Control")).hasValue("no-store");

        put("nl.test.traffic:counter-1", 5.48); // other namespace
        put("nl.test.safety:noise-west", 5.40); // outside the zone
        put("nl.test.safety:noise-east", 5.48);
        twin.modify(ThingId.of("nl.test.safety:noise-east"), JsonPointer.of("/features/noise/properties/laeq"),
                JsonValue.of(71.5), WriteCondition.any());

        Map<String, String> created = events.next();
        assertThat(created.get("event")).isEqualTo("thing-changed");
        JsonObject createdData = JsonObject.of(created.get("data"));
        assertThat(createdData.getValue("thingId")).hasValue(JsonValue.of("nl.test.safety:noise-east"));
        assertThat(createdData.getValue("path")).hasValue(JsonValue.of("/"));
        assertThat(createdData.getValue("value/thingId")).hasValue(JsonValue.of("nl.test.safety:noise-east"));
        assertThat(createdData.getValue("time")).isPresent();

        Map<String, String> changed = events.next();
        JsonObject data = JsonObject.of(changed.get("data"));
        assertThat(Long.parseLong(changed.get("id"))).isGreaterThan(Long.parseLong(created.get("id")));
        assertThat(data.getValue("thingId")).hasValue(JsonValue.of("nl.test.safety:noise-east"));
        assertThat(data.getValue("eventType")).hasValue(JsonValue.of("things.events:featurePropertyModified"));
        assertThat(data.getValue("path")).hasValue(JsonValue.of("/features/noise/properties/laeq"));
        assertThat(data.getValue("value")).hasValue(JsonValue.of(71.5));
        assertThat(data.getValue("revision")).hasValue(JsonValue.of(2L));
    }

    @Test
    void filtersByThingAndByDomain() throws Exception {
        Events byThing = open("?thing=nl.test.traffic:counter-2", Map.of());
        Events byDomain = open("?domain=safety", Map.of());
        put("nl.test.safety:noise-1", 5.40);
        put("nl.test.traffic:counter-2", 5.40);
        put("nl.test.safety:noise-3", 5.40);

        assertThat(thingId(byThing.next())).isEqualTo("nl.test.traffic:counter-2");
        assertThat(thingId(byDomain.next())).isEqualTo("nl.test.safety:noise-1");
        assertThat(thingId(byDomain.next())).isEqualTo("nl.test.safety:noise-3");
    }

    @Test
    void resumesAfterTheLastEventId() throws Exception {
        Events first = open("", Map.of());
        put("nl.test.safety:noise-1", 5.40);
        put("nl.test.safety:noise-2", 5.40);
        Map<String, String> seen = first.next();
        first.close();
        put("nl.test.safety:noise-3", 5.40);

        Events resumed = open("", Map.of("Last-Event-ID", seen.get("id")));
        Map<String, String> next = resumed.next();
        assertThat(next.get("event")).isEqualTo("thing-changed");
        assertThat(Long.parseLong(next.get("id"))).isEqualTo(Long.parseLong(seen.get("id")) + 1);
        assertThat(thingId(next)).isEqualTo("nl.test.safety:noise-2");
        assertThat(thingId(resumed.next())).isEqualTo("nl.test.safety:noise-3");
        put("nl.test.safety:noise-4", 5.40);
        assertThat(thingId(resumed.next())).isEqualTo("nl.test.safety:noise-4");

        // ?since= for tools that cannot send the header: the same
        Events since = open("?since=" + seen.get("id"), Map.of());
        assertThat(thingId(since.next())).isEqualTo("nl.test.safety:noise-2");
    }

    @Test
    void sendsAGapWhenTheRingNoLongerHoldsTheEventsAfterTheId() throws Exception {
        long first = feed.firstId();
        for (int i = 1; i <= RING + 10; i++) {
            put("nl.test.safety:noise-" + i, 5.40); // ids first..first+29; the ring keeps first+10..first+29
        }
        Events events = open("", Map.of("Last-Event-ID", Long.toString(first)));
        Map<String, String> gap = events.next();
        assertThat(gap.get("event")).isEqualTo("gap");
        JsonObject data = JsonObject.of(gap.get("data"));
        assertThat(data.getValue("missed")).hasValue(JsonValue.of(9L)); // first+1..first+9
        assertThat(data.getValue("detail").map(JsonValue::asString).orElseThrow()).contains("read the things again");
        Map<String, String> oldestHeld = events.next();
        assertThat(oldestHeld.get("id")).isEqualTo(Long.toString(first + 10));
        assertThat(thingId(oldestHeld)).isEqualTo("nl.test.safety:noise-11");

        // since=0, everything held: the ten this run already dropped are missed
        Events everything = open("?since=0", Map.of());
        assertThat(JsonObject.of(everything.next().get("data")).getValue("missed")).hasValue(JsonValue.of(10L));
        assertThat(everything.next().get("id")).isEqualTo(Long.toString(first + 10));
        everything.close();

        // an id of an earlier run of the hub: a gap of unknown size, then what this run holds
        Events earlier = open("?since=" + (first - 5000), Map.of());
        assertThat(earlier.next().get("event")).isEqualTo("gap");
        assertThat(earlier.next().get("id")).isEqualTo(Long.toString(first + 10));
        earlier.close();

        // an id this hub never sent: a gap of unknown size, then live events
        Events unknown = open("?since=" + (first + 1000), Map.of());
        Map<String, String> restartGap = unknown.next();
        assertThat(restartGap.get("event")).isEqualTo("gap");
        assertThat(JsonObject.of(restartGap.get("data")).getValue("missed")).hasValue(JsonValue.nullLiteral());
        put("nl.test.safety:noise-live", 5.40);
        assertThat(thingId(unknown.next())).isEqualTo("nl.test.safety:noise-live");
    }

    @Test
    void closesTheStreamOfAClientThatDoesNotReadWithAnOverflowEvent() throws Exception {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(30_000);
            OutputStream request = socket.getOutputStream();
            request.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + KEY
                    + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream in = socket.getInputStream();
            String head = readUntil(in, ": connected");
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(servlet.openStreams()).isEqualTo(1);

            // big changes, straight to the feed as the twin's listener thread would hand them, until the stream gives up
            Thing big = ThingsModelFactory.newThingBuilder().setId(ThingId.of("nl.test.safety:big-1"))
                    .setAttribute(JsonPointer.of("blob"), JsonValue.of("x".repeat(16 * 1024))).build();
            int sent = 0;
            while (servlet.openStreams() > 0 && sent < 100_000) {
                sent++;
                feed.onTwinEvent(new TwinEvent(ThingModified.of(big, sent, Instant.now(), DittoHeaders.empty(), null),
                        big));
            }
            assertThat(servlet.openStreams()).as("stream closed after %d events", sent).isZero();
            assertThat(feed.streams()).isZero();

            String rest = readToEnd(in);
            assertThat(rest).contains("event: overflow");
            assertThat(rest.substring(rest.indexOf("event: overflow"))).contains("read slower than");
            assertThat(rest).doesNotContain("id: " + sent + "\n");
        }
        // the hub goes on: a new stream of the same client is served
        Events again = open("", Map.of());
        assertThat(again.response.statusCode()).isEqualTo(200);
    }

    @Test
    void refusesWithoutAKey() throws Exception {
        HttpResponse<String> response = get("", null, Map.of());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).contains("Reading /events needs");
    }

    @Test
    void refusesABadFilterNamingIt() throws Exception {
        assertBadRequest("?thing=no-namespace", "'thing'");
        assertBadRequest("?namespace=nl..x", "'namespace'");
        assertBadRequest("?domain=9safety", "'domain'");
        assertBadRequest("?zone=atlantis", "'zone'");
        assertBadRequest("?colour=red", "'colour'");
        assertBadRequest("?since=yesterday", "'since'");
        HttpResponse<String> header = get("", KEY, Map.of("Last-Event-ID", "-3"));
        assertThat(header.statusCode()).isEqualTo(400);
        assertThat(header.body()).contains("'Last-Event-ID'");
    }

    /** Found by ApiFuzzTest: a query string the container cannot decode was answered with its HTML error page. */
    @Test
    void refusesAnUndecodableQueryStringWithAProblem() throws Exception {
        RawHttp.Response answer = RawHttp.exchange(port, "GET", "/api/v1/events?thing=%zz", Map.of("X-API-Key", KEY),
                null, false, java.time.Duration.ofSeconds(20));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.problemDetail()).contains("'thing=%zz' cannot be decoded").contains("%25");
    }

    @Test
    void limitsTheStreamsOfOneClient() throws Exception {
        for (int i = 0; i < MAX_STREAMS; i++) {
            assertThat(open("", Map.of()).response.statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = get("", KEY, Map.of());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("wijkapp").contains("already has " + MAX_STREAMS);
    }

    private void assertBadRequest(String query, String named) throws Exception {
        HttpResponse<String> response = get(query, KEY, Map.of());
        assertThat(response.statusCode()).as(query).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).as(query).contains(named);
    }

    private void put(String id, double longitude) {
        JsonObject thing = JsonObject.newBuilder()
                .set("thingId", id)
                .set(JsonPointer.of("attributes/location"), JsonObject.newBuilder().set("type", "Point")
                        .set("coordinates", org.eclipse.ditto.json.JsonArray.of(longitude, 51.44)).build())
                .set(JsonPointer.of("features/noise/properties/laeq"), 60.0)
                .build();
        twin.modify(ThingId.of(id), JsonPointer.empty(), thing, WriteCondition.any());
    }

    private static String thingId(Map<String, String> event) {
        return JsonObject.of(event.get("data")).getValue("thingId").map(JsonValue::asString).orElseThrow();
    }

    private HttpResponse<String> get(String query, String key, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/events" + query));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        headers.forEach(request::header);
        // a client per refusal: the server closes those connections
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a stream with the key and waits for its first comment, after which the stream receives changes. */
    private Events open(String query, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/events" + query)).header("X-API-Key", KEY).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        opened.add(response.body());
        Events events = new Events(response);
        if (response.statusCode() == 200) {
            assertThat(events.lines.next()).isEqualTo(": connected");
            assertThat(events.lines.next()).isEmpty();
        }
        return events;
    }

    /** The server-sent events of one response, block by block. */
    private static final class Events {
        final HttpResponse<Stream<String>> response;
        final Iterator<String> lines;

        Events(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.lines = response.body().iterator();
        }

        /** The next event's fields (id, event, data), skipping comments such as heartbeats. */
        Map<String, String> next() {
            Map<String, String> fields = new LinkedHashMap<>();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (!fields.isEmpty()) {
                        return fields;
                    }
                } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    fields.put(line.substring(0, colon), line.substring(colon + 1).stripLeading());
                }
            }
            throw new AssertionError("the stream ended; had " + fields);
        }

        void close() {
            response.body().close();
        }
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.UTF_8).contains(marker)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("ended before '" + marker + "': " + read);
            }
            read.write(b);
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                read.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the last bytes still leaves what was read
        }
        return read.toString(StandardCharsets.UTF_8);
    }
}
