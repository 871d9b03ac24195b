package nl.lantaarn.ditto.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import nl.lantaarn.http.internal.BadInputs;
import nl.lantaarn.http.internal.RawHttp;
import nl.lantaarn.http.internal.ThingPolicies;
import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Bad input for the Ditto-compatible API: {@code /api/2} paths, thing ids, JSON bodies, filters, fields, options and
 * headers over real HTTP; Ditto protocol envelopes, protocol messages ({@code START-SEND-EVENTS?filter=...}, ...) and
 * event filters through the protocol of a session; and envelopes over a real WebSocket ({@code /ws/2}). All against
 * the real twin (in-memory store) and the hub's real access policies ({@link Partners}: a reader whose policy hides a
 * property, a writer that may not write it). Every HTTP answer must come within {@link #TIMEOUT} and be 2xx, or 4xx
 * with a Ditto error ({@code status}, {@code error}, {@code message}); every protocol answer must be such an error or
 * a success, never a 5xx and never an exception out of the handler; a WebSocket must answer a retrieve after each
 * fuzzed message. 35,000 tries in all (the {@code tries} of each property).
 */
class DittoFuzzTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final DittoProtocolAdapter ADAPTER = DittoProtocolAdapter.newInstance();
    private static final String LONG_TEXT = "a".repeat(3000);
    private static final List<String> KEYS = List.of("maintainer-key", "police-key", "wijkapp-key", "nobody-key");

    private static Path home;
    private static TwinServiceComponent twin;
    private static DittoWebSocketServlet webSockets;
    private static Server server;
    private static int port;
    private static ThingPolicies policies;
    private static final AtomicReference<TwinEvent> LAST_EVENT = new AtomicReference<>();

    /** The search's contract: ids sorted, a filter that is not RQL refused with SearchQueryException. */
    private static final ThingSearch SEARCH = new ThingSearch() {
        @Override
        public List<String> thingIds(String rqlFilter, Near near, String zone, int limit) {
            if (rqlFilter != null && !rqlFilter.isBlank()) {
                try {
                    RqlPredicateParser.getInstance().parse(rqlFilter);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new SearchQueryException("The filter is not valid RQL: " + e.getMessage());
                }
            }
            return twin.list().stream().map(thing -> thing.getEntityId().orElseThrow().toString()).sorted()
                    .limit(limit).toList();
        }

        @Override
        public List<String> zonesAt(double longitude, double latitude) {
            return List.of();
        }

        @Override
        public Optional<ZoneInfo> zone(String zoneId) {
            return Optional.empty();
        }
    };

    @BeforeContainer
    static void start() throws Exception {
        home = Files.createTempDirectory("ditto-fuzz");
        twin = new TwinServiceComponent(new MemoryTwinStore());
        Partners.seed(twin);
        twin.modify(ThingId.of("nl.eindhoven.safety:long-1"), JsonPointer.empty(), JsonObject.of(
                "{\"attributes\":{\"text\":\"" + LONG_TEXT + "\",\"tags\":[\"a\",1,true,null]},\"features\":{\"noise\":"
                        + "{\"definition\":[\"org.fiware:Noise:1.0.0\"],\"properties\":{\"laeq\":50}}}}"),
                WriteCondition.any());
        policies = Partners.policies(Files.createDirectories(home.resolve("policies")));
        webSockets = new DittoWebSocketServlet(twin, Partners.authenticator(), policies, limits());
        webSockets.setSearch(SEARCH);
        Method addListener = TwinServiceComponent.class.getDeclaredMethod("addListener", TwinEventListener.class);
        addListener.setAccessible(true);
        addListener.invoke(twin, webSockets);
        addListener.invoke(twin, (TwinEventListener) LAST_EVENT::set);
        DittoHttpServlet http = new DittoHttpServlet(twin, Partners.authenticator(), policies);
        http.setSearch(SEARCH);

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(http), "/api/2/*");
        context.addServlet(new ServletHolder(webSockets), "/ws/2");
        JettyWebSocketServletContainerInitializer.configure(context, null);
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterContainer
    static void stop() throws Exception {
        // null-safe: a failed start shows its own error, not one of these
        if (server != null) {
            server.stop();
        }
        if (twin != null) {
            twin.deactivate();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static DittoWebSocketServlet.Limits limits() {
        return (DittoWebSocketServlet.Limits) java.lang.reflect.Proxy.newProxyInstance(
                DittoWebSocketServlet.Limits.class.getClassLoader(), new Class<?>[] {DittoWebSocketServlet.Limits.class},
                (proxy, method, args) -> method.getDefaultValue());
    }

    // ---- /api/2 over HTTP ----

    @Property(tries = 9_000, shrinking = ShrinkingMode.BOUNDED)
    void thingRequestsAreAnsweredBelow500(@ForAll("methods") String method, @ForAll("thingIds") String id,
            @ForAll("parts") String part, @ForAll("bodies") byte[] body, @ForAll("keys") String key,
            @ForAll("headers") Map<String, String> headers) throws IOException {
        String target = "/api/2/things/" + BadInputs.target(id + part, false);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Authorization", "Bearer " + key);
        boolean withBody = method.equals("PUT") || method.equals("PATCH") || method.equals("POST");
        assertDittoAnswer(RawHttp.exchange(port, method, target, all, withBody ? body : null, false, TIMEOUT),
                method + " " + target + " " + headers + (withBody ? " " + RawHttp.abbreviate(new String(body,
                        java.nio.charset.StandardCharsets.UTF_8)) : ""));
    }

    @Property(tries = 5_000, shrinking = ShrinkingMode.BOUNDED)
    void queriesAreAnsweredBelow500(@ForAll("queryTargets") String path,
            @ForAll("queryParameters") Map<String, String> parameters, @ForAll("keys") String key,
            @ForAll boolean raw) throws IOException {
        String query = parameters.entrySet().stream().map(e -> raw
                ? BadInputs.target(e.getKey(), true) + "=" + BadInputs.target(e.getValue(), true)
                : BadInputs.encode(e.getKey()) + "=" + BadInputs.encode(e.getValue())).collect(Collectors.joining("&"));
        String target = path + (query.isEmpty() ? "" : "?" + query);
        assertDittoAnswer(RawHttp.exchange(port, "GET", target, Map.of("Authorization", "Bearer " + key), null, false,
                TIMEOUT), "GET " + target);
    }

    // ---- the Ditto protocol of a session ----

    @Property(tries = 13_000, shrinking = ShrinkingMode.BOUNDED)
    void envelopesAreAnsweredWithDittoErrorsNever500(@ForAll("envelopes") String envelope, @ForAll("keys") String key) {
        List<String> sent = session(key).apply(envelope);
        for (String message : sent) {
            assertProtocolAnswer(message, envelope);
        }
    }

    @Property(tries = 6_000, shrinking = ShrinkingMode.BOUNDED)
    void protocolMessagesAndEventFiltersNeverThrow(@ForAll("protocolMessages") String message,
            @ForAll("keys") String key, @ForAll("changes") Map.Entry<String, String> change) {
        Fixture session = session(key);
        for (String answer : session.apply(message)) {
            assertProtocolAnswer(answer, message);
        }
        // an event after the subscription: the filter runs on the twin's event thread, where nothing may throw
        TwinEvent event = LAST_EVENT.get();
        twin.modify(Partners.NOISE, JsonPointer.of(change.getKey()), JsonFactory.readFrom(change.getValue()),
                WriteCondition.any());
        TwinEvent changed = LAST_EVENT.get();
        if (changed != null && changed != event) {
            Adaptable adaptable = ADAPTER.toAdaptable(changed.event());
            session.session.onEvent(changed, adaptable, ProtocolSession.toJson(adaptable));
            for (String answer : session.sent) {
                assertProtocolAnswer(answer, message + " then the event of " + change);
            }
        }
    }

    // ---- over a real WebSocket ----

    @Property(tries = 2_000, shrinking = ShrinkingMode.OFF)
    void aWebSocketAnswersEveryMessageAndStaysUsable(@ForAll("webSocketMessages") String message) throws Exception {
        Socket socket = socket();
        // as UTF-8 text: a WebSocket text message cannot carry a lone surrogate (it becomes '?')
        String text = new String(message.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8);
        socket.socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        // then a retrieve: its answer proves the fuzzed message did not kill the handler
        String correlation = "sentinel-" + System.nanoTime();
        socket.socket.sendText(ProtocolSession.toJson(ADAPTER.toAdaptable(
                org.eclipse.ditto.things.model.signals.commands.query.RetrieveThing.of(Partners.NOISE,
                        org.eclipse.ditto.base.model.headers.DittoHeaders.newBuilder().correlationId(correlation)
                                .build()))), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        while (true) {
            String answer = socket.received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer == null) {
                Integer closed = socket.closed.getNow(null);
                if (closed != null) {
                    // closed on purpose (a refreshed token the hub does not know, a message too big): reconnect
                    assertThat(closed).as("close after %s", RawHttp.abbreviate(message)).isIn(1008, 1009);
                    open = null;
                    return;
                }
                throw new AssertionError("No answer within " + TIMEOUT + " after " + RawHttp.abbreviate(message));
            }
            assertProtocolAnswer(answer, message);
            if (answer.contains(correlation)) {
                return;
            }
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "GET", "PUT", "PUT", "PATCH", "PATCH", "DELETE", "POST", "HEAD", "OPTIONS", "FOO");
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(KEYS);
    }

    @Provide
    Arbitrary<String> thingIds() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(Partners.NOISE.toString(), Partners.LAMP.toString(),
                        "nl.eindhoven.safety:long-1", "nl.eindhoven.safety:fuzz-new", "nl.eindhoven.safety:missing")),
                Tuple.of(2, BadInputs.thingIds()));
    }

    private static final List<String> DITTO_PARTS = List.of("", "/attributes", "/attributes/zone", "/attributes/text",
            "/attributes//zone", "/attributes/zone/", "/features", "/features/noise", "/features/noise/properties",
            "/features/noise/properties/laeq", "/features/noise/properties/lamax", "/features/noise/definition",
            "/features/noise/desiredProperties", "/features/noise/desiredProperties/laeq", "/features/missing/definition",
            "/features/lamp/definition", "/definition", "/policyId", "/thingId", "/_revision", "/_metadata",
            "/_policy", "/inbox/messages/x", "/outbox/messages/x", "/features/noise/properties/laeq/x",
            "/attributes/~0~1", "/attributes/%2F", "/attributes/a%2Fb", "/features//properties");

    @Provide
    Arbitrary<String> parts() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(DITTO_PARTS)), Tuple.of(1, BadInputs.parts()));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return BadInputs.jsonBodies();
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        Arbitrary<String> names = Arbitraries.of("If-Match", "If-None-Match", "correlation-id", "requested-acks",
                "response-required", "Content-Type", "timeout", "x-correlation-id", "ditto-weak-ack", "channel");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("", " ", "*", "\"rev:1\"", "\"rev:x\"", "rev:1",
                "\"rev:99999999999999999999\"", "W/\"rev:1\"", "twin-persisted", "[\"twin-persisted\"]", "live-response",
                "[]", "true", "false", "1s", "-1", "99999h", "application/json", "application/merge-patch+json",
                "text/plain", "a".repeat(300), "\u00fc"), BadInputs.injections()
                .map(s -> s.replace('\r', ' ').replace('\n', ' ').replace("\u0000", "")));
        return Arbitraries.maps(names, values).ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> queryTargets() {
        return Arbitraries.of("/api/2/search/things", "/api/2/search/things", "/api/2/things/" + Partners.NOISE,
                "/api/2/things/" + Partners.NOISE + "/features", "/api/2/search", "/api/2/things", "/api/2/");
    }

    @Provide
    Arbitrary<Map<String, String>> queryParameters() {
        Arbitrary<Tuple.Tuple2<String, String>> pair = Arbitraries.frequencyOf(
                Tuple.of(4, rql().map(f -> Tuple.of("filter", f))),
                Tuple.of(2, BadInputs.fields().map(f -> Tuple.of("fields", f))),
                Tuple.of(2, options().map(o -> Tuple.of("option", o))),
                Tuple.of(1, namespaces().map(n -> Tuple.of("namespaces", n))),
                Tuple.of(1, BadInputs.injections().map(v -> Tuple.of("x", v))));
        return pair.list().ofMaxSize(4).map(list -> {
            Map<String, String> map = new LinkedHashMap<>();
            list.forEach(p -> map.put(p.get1(), p.get2()));
            return map;
        });
    }

    static Arbitrary<String> options() {
        return Arbitraries.oneOf(Arbitraries.of("size(1)", "size(200)", "size(0)", "size(201)", "size(999)",
                "size(99999999999)", "size(-1)", "size()", "size(a)", "sort(+thingId)", "sort(-thingId)",
                "cursor(abc)", "limit(0,1)", "size(2),sort(+thingId)", "size(2),cursor(x)", ""),
                BadInputs.injections());
    }

    static Arbitrary<String> namespaces() {
        return Arbitraries.oneOf(Arbitraries.of("nl.eindhoven.safety", "nl.eindhoven.safety,nl.eindhoven.lighting",
                ",", "", "nl.eindhoven.*"), BadInputs.injections());
    }

    private static final List<String> PATHS = List.of("thingId", "attributes/zone", "attributes/text",
            "attributes/tags", "features/noise/properties/laeq", "features/*/properties/laeq", "_revision",
            "features/noise/definition", "policyId", "attributes", "attributes//zone", "/attributes/zone",
            "attributes/", "", "features/*/*", "attributes/~1", "attributes/%zz");

    /** RQL filters: the grammar with random operators, paths and values; garbled; deep; crafted like patterns. */
    static Arbitrary<String> rql() {
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(3, BadInputs.jsonNumbers()),
                Tuple.of(3, BadInputs.jsonStrings()),
                Tuple.of(1, Arbitraries.of("true", "false", "null", "time:now", "abc", "\"stratumseind\"", "1",
                        "\"" + Partners.NOISE + "\"")));
        Arbitrary<String> path = Arbitraries.of(PATHS);
        Arbitrary<String> like = Combinators.combine(Arbitraries.integers().between(1, 30),
                Arbitraries.of("*a", "a*", "*?", "?", "a"), Arbitraries.of("b", "", "*"))
                .as((n, unit, end) -> BadInputs.quote(unit.repeat(n) + end));
        Arbitrary<String> leaf = Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(Arbitraries.of("eq", "ne", "gt", "ge", "lt", "le"), path, value)
                        .as((op, p, v) -> op + "(" + p + "," + v + ")")),
                Tuple.of(2, Combinators.combine(path, value.list().ofMaxSize(5))
                        .as((p, vs) -> "in(" + p + (vs.isEmpty() ? "" : "," + String.join(",", vs)) + ")")),
                Tuple.of(2, Combinators.combine(path, Arbitraries.oneOf(like, value))
                        .as((p, v) -> "like(" + p + "," + v + ")")),
                Tuple.of(1, path.map(p -> "exists(" + p + ")")));
        Arbitrary<String> grammar = Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("and", "or"), inner.list().ofMaxSize(3))
                        .as((op, cs) -> op + "(" + String.join(",", cs) + ")"),
                inner.map(c -> "not(" + c + ")")), 0, 3);
        Arbitrary<String> garbled = Combinators.combine(grammar, Arbitraries.doubles().between(0, 1),
                Arbitraries.of("(", ")", ",", "\"", "%zz", "%", "\\", "", "*", "\u0000"))
                .as((f, at, b) -> f.substring(0, (int) (at * f.length())) + b);
        Arbitrary<String> deep = Arbitraries.integers().between(1, 2000).map(n -> "not(".repeat(n)
                + "exists(thingId)" + ")".repeat(n));
        return Arbitraries.frequencyOf(Tuple.of(6, grammar), Tuple.of(2, garbled), Tuple.of(1, deep),
                Tuple.of(1, BadInputs.injections()));
    }

    private static final List<String> TOPICS = List.of("nl.eindhoven.safety/noise-7/things/twin/commands/retrieve",
            "nl.eindhoven.safety/noise-7/things/twin/commands/modify", "nl.eindhoven.safety/noise-7/things/twin/commands/merge",
            "nl.eindhoven.safety/noise-7/things/twin/commands/delete", "nl.eindhoven.safety/noise-7/things/twin/commands/create",
            "nl.eindhoven.safety/fuzz-new/things/twin/commands/create", "nl.eindhoven.safety/missing/things/twin/commands/delete",
            "_/_/things/twin/commands/retrieve", "_/_/things/twin/search/subscribe", "_/_/things/twin/search/request",
            "_/_/things/twin/search/cancel", "nl.eindhoven.safety/noise-7/things/live/commands/modify",
            "nl.eindhoven.safety/noise-7/things/live/messages/hello", "nl.eindhoven.safety/noise-7/policies/commands/retrieve",
            "nl.eindhoven.safety/noise-7/things/twin/events/modified", "nl.eindhoven.safety/noise-7/things/twin/errors",
            "_/_/connections/commands/retrieve", "nl.eindhoven.safety/noise-7/things/twin/acks/x",
            "nl.eindhoven.safety/noise-7/things/twin/commands/unknown", "a/b/c", "", "/", "//////",
            "nl.eindhoven.safety/noise-7/things/twin/commands", "x/y/things/twin/commands/retrieve",
            "nl.eindhoven.safety/no%zz/things/twin/commands/retrieve");

    @Provide
    Arbitrary<String> envelopes() {
        Arbitrary<String> topic = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(TOPICS)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
        Arbitrary<String> path = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(DITTO_PARTS).map(p -> p.isEmpty()
                ? "/" : p)), Tuple.of(1, BadInputs.parts()), Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)));
        Arbitrary<String> headerValue = Arbitraries.oneOf(BadInputs.jsonScalars(), Arbitraries.of("\"\"", "[]",
                "[\"twin-persisted\"]", "\"twin-persisted\"", "[\"\"]", "[1]", "{}", "\"rev:1\"", "\"*\"", "\"1s\"",
                "\"-1s\"", "null", "\"search-persisted\"", "\"live-response\""));
        Arbitrary<String> headers = Combinators.combine(Arbitraries.of("correlation-id", "requested-acks",
                "response-required", "if-match", "if-none-match", "content-type", "timeout", "channel",
                "ditto-acks-declared", "x", "", "version", "schema-version", "put-metadata", "get-metadata",
                "condition", "live-channel-condition", "ditto-originator"), headerValue)
                .as((name, v) -> BadInputs.quote(name) + ":" + v).list().ofMaxSize(4)
                .map(members -> "{" + String.join(",", members) + "}");
        Arbitrary<String> value = Arbitraries.oneOf(BadInputs.jsonValues(), rql().map(BadInputs::quote),
                Arbitraries.of("{\"filter\":\"like(attributes/text,\\\"*a*a*a*a*a*a*a*a*a*a*a*a*b\\\")\"}",
                        "{\"subscriptionId\":\"x\",\"demand\":1}", "{\"demand\":-1}", "{\"thingIds\":[1]}"));
        Arbitrary<String> envelope = Combinators.combine(topic, headers, path, value.injectNull(0.3),
                Arbitraries.of("", ",\"fields\":\"thingId\"", ",\"fields\":\"((\"", ",\"status\":200",
                        ",\"status\":\"x\"", ",\"extra\":{}", ",\"revision\":-1", ",\"topic\":1")).as(
                (t, h, p, v, extra) -> "{\"topic\":" + BadInputs.quote(t) + ",\"headers\":" + h + ",\"path\":"
                        + BadInputs.quote(p) + (v == null ? "" : ",\"value\":" + v) + extra + "}");
        Arbitrary<String> broken = envelope.flatMap(e -> Combinators.combine(Arbitraries.doubles().between(0, 1),
                Arbitraries.of("{", "}", "\"", ",", "", "[", "\u0000")).as((at, b) ->
                        e.substring(0, (int) (at * e.length())) + b));
        return Arbitraries.frequencyOf(Tuple.of(8, envelope), Tuple.of(2, broken),
                Tuple.of(1, BadInputs.deepJson()), Tuple.of(1, BadInputs.jsonValues().filter(s -> s.startsWith("{"))));
    }

    @Provide
    Arbitrary<String> protocolMessages() {
        Arbitrary<String> names = Arbitraries.of("START-SEND-EVENTS", "STOP-SEND-EVENTS", "JWT-TOKEN",
                "START-SEND-MESSAGES", "START-SEND-LIVE-COMMANDS", "STOP-SEND-LIVE-EVENTS", "START-SEND-EVENTS:ACK",
                "start-send-events", "", "?", "FOO", "START-SEND-EVENTS ");
        Arbitrary<String> parameters = Arbitraries.frequencyOf(
                Tuple.of(4, rql().map(f -> "filter=" + BadInputs.encode(f))),
                Tuple.of(2, rql().map(f -> "filter=" + f)),
                Tuple.of(1, namespaces().map(n -> "namespaces=" + n)),
                Tuple.of(1, BadInputs.fields().map(f -> "extraFields=" + f)),
                Tuple.of(1, Arbitraries.of("correlation-id=", "correlation-id=%zz", "jwtToken=maintainer-key",
                        "jwtToken=", "%", "=", "&&", "filter", "filter=%", "filter=%2", "a=b=c")));
        return Combinators.combine(names, parameters.list().ofMaxSize(3), Arbitraries.of("?", "?", "", "&"))
                .as((name, ps, separator) -> name + (ps.isEmpty() ? "" : separator + String.join("&", ps)));
    }

    @Provide
    Arbitrary<Map.Entry<String, String>> changes() {
        return Arbitraries.of(Map.entry("/attributes/zone", "\"markt\""), Map.entry("/attributes/count", "3"),
                Map.entry("/attributes/text", BadInputs.quote(LONG_TEXT)), Map.entry("/attributes/tags", "[1,\"a\"]"),
                Map.entry("/features/noise/properties/laeq", "72.5"), Map.entry("/features/noise/properties/laeq",
                        "\"loud\""), Map.entry("/attributes/flag", "null"), Map.entry("/attributes/o", "{\"a\":[]}"));
    }

    @Provide
    Arbitrary<String> webSocketMessages() {
        return Arbitraries.oneOf(envelopes(), protocolMessages().filter(m -> !m.startsWith("JWT-TOKEN")));
    }

    // ---- helpers ----

    /** A fresh session of the client with {@code key}, recording what it sends. */
    private static final class Fixture {
        final List<String> sent = new CopyOnWriteArrayList<>();
        ProtocolSession session;

        List<String> apply(String text) {
            sent.clear();
            session.onText(text);
            return List.copyOf(sent);
        }
    }

    private static Fixture session(String key) {
        ApiClient client = Partners.KEYS.get(key);
        Enforcement enforcement = new Enforcement(policies);
        Fixture fixture = new Fixture();
        fixture.session = new ProtocolSession(client, enforcement, new TwinCommands(twin, enforcement),
                new SearchSubscriptions(twin, enforcement, () -> SEARCH, 2), Partners.authenticator(), 262_144,
                new Outbound() {
                    @Override
                    public void send(String text) {
                        fixture.sent.add(text);
                    }

                    @Override
                    public void close(int statusCode, String reason) {
                        fixture.sent.add("CLOSE " + statusCode);
                    }
                });
        return fixture;
    }

    /** An open WebSocket, reused while it stays open. */
    private static final class Socket {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;
    }

    private static Socket open;

    private static Socket socket() throws Exception {
        if (open != null && !open.closed.isDone()) {
            open.received.clear();
            return open;
        }
        Socket fresh = new Socket();
        StringBuilder partial = new StringBuilder();
        fresh.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer maintainer-key").connectTimeout(TIMEOUT)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/2"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            fresh.received.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        fresh.closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        fresh.closed.complete(-1);
                    }
                }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        open = fresh;
        return fresh;
    }

    /**
     * A protocol answer: an acknowledgement, a success, or a Ditto error of status 4xx with an error code and a
     * message; never a 5xx. (501 only for what the hub recognises and documents as not supported: the live channel,
     * messages, policies, connections.)
     */
    static void assertProtocolAnswer(String answer, String request) {
        if (!answer.startsWith("{")) {
            assertThat(answer).as(request).matches("[A-Z-]+:ACK|CLOSE 100[89]");
            return;
        }
        JsonObject json = JsonObject.of(answer);
        int status = json.getValue("status").filter(JsonValue::isInt).map(JsonValue::asInt).orElse(200);
        Statistics.collect(status / 100 + "xx");
        if (status >= 400) {
            JsonObject error = json.getValue("value").filter(JsonValue::isObject).map(JsonValue::asObject)
                    .orElse(JsonObject.empty());
            assertThat(error.getValue("error")).as("%s%n  answered %s", RawHttp.abbreviate(request), answer)
                    .isPresent();
            assertThat(error.getValue("message")).as("%s%n  answered %s", RawHttp.abbreviate(request), answer)
                    .isPresent();
            if (status == 501) {
                assertThat(error.getValue("error").orElseThrow().asString()).as("%s%n  answered %s",
                        RawHttp.abbreviate(request), answer).isEqualTo(HubRefusalException.UNSUPPORTED);
                return;
            }
        }
        assertThat(status).as("%s%n  answered %s", RawHttp.abbreviate(request), answer).isLessThan(500);
    }

    /**
     * 2xx, or 4xx with a Ditto error whose status is the answer's; a 4xx that is not JSON came from the container
     * (a malformed request no servlet saw) and must be one of its refusals.
     */
    static void assertDittoAnswer(RawHttp.Response answer, String request) {
        Statistics.collect(answer.status() / 100 + "xx");
        assertThat(answer.status() / 100).as("%s%n  answered %s", RawHttp.abbreviate(request), answer).isIn(2, 4);
        if (answer.status() < 400 || request.startsWith("HEAD ")) {
            return;
        }
        String type = answer.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            assertThat(answer.status()).as("%s%n  refused by the container: %s", RawHttp.abbreviate(request), answer)
                    .isIn(400, 414, 431);
            return;
        }
        JsonObject error = JsonObject.of(answer.text());
        assertThat(error.getValue("status")).as("%s%n  answered %s", RawHttp.abbreviate(request), answer)
                .contains(JsonValue.of(answer.status()));
        assertThat(error.getValue("error").filter(JsonValue::isString)).as("%s%n  answered %s",
                RawHttp.abbreviate(request), answer).isPresent();
        assertThat(error.getValue("message").filter(JsonValue::isString)).as("%s%n  answered %s",
                RawHttp.abbreviate(request), answer).isPresent();
    }
}
