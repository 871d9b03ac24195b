package nl.lantaarn.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
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
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Bad input for the search ({@code /api/v1/search}) over real HTTP: RQL filters (valid grammar with random operators,
 * paths and values, garbled text, deep nesting, huge lists, crafted {@code like} patterns, injection-like strings),
 * and the sort, fields, size, cursor, near, bbox, zone and within parameters. The servlet runs in a real Jetty on a
 * free port over the real twin (in-memory store) feeding a real index, with the hub's real access policies (one
 * partner may not read the sound level, so the policy checks of matches run too). Every answer must come within
 * {@link #TIMEOUT} (a hang fails the exchange) and be 2xx, or 4xx with an RFC 9457 problem that has a detail.
 * 45,000 tries in all (the {@code tries} of each property).
 */
class SearchFuzzTest {

    private static final String READER_KEY = "fuzz-reader-key";
    private static final String PARTNER_KEY = "fuzz-partner-key";
    /** Far more than any answer takes; only a hang reaches it. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A long run of one letter, for like patterns that make a backtracking matcher take exponential time. */
    static final String LONG_TEXT = "a".repeat(3000);

    private static Path home;
    private static TwinServiceComponent twin;
    private static ZoneRegistry zones;
    private static SearchIndex index;
    private static Server server;
    private static int port;
    /** Cursors the search really handed out, to be mutated. */
    private static final List<String> CURSORS = new ArrayList<>();

    @BeforeContainer
    static void start() throws Exception {
        home = Files.createTempDirectory("search-fuzz");
        Path zoneFolder = Files.createDirectories(home.resolve("zones"));
        Files.copy(Path.of("../../zones/stratumseind.geojson"), zoneFolder.resolve("stratumseind.geojson"));
        zones = new ZoneRegistry(zoneFolder, 60_000);
        twin = new TwinServiceComponent(new MemoryTwinStore());
        index = new SearchIndex(List.of(), zones, 1024);
        // the twin's whiteboard binding, as DS makes it: the index follows the twin's events
        Method addListener = TwinServiceComponent.class.getDeclaredMethod("addListener", TwinEventListener.class);
        addListener.setAccessible(true);
        addListener.invoke(twin, (TwinEventListener) index::enqueue);
        for (int i = 0; i < 40; i++) {
            String domain = i % 3 == 0 ? "lighting" : "safety";
            String json = String.format(java.util.Locale.ROOT, """
                    {"policyId":"nl.demo:p","attributes":{"zone":"%s","tags":["pole","s%d"],"vendor":%s,"serial":null,
                     "location":{"type":"Point","coordinates":[%s,%s]},"text":"%s"},
                     "features":{"noise":{"properties":{"laeq":%s,"ok":%s,"note":null,"units":{"laeq":"dB(A)"}}},
                     "lamp":{"desiredProperties":{"dim":%d}}}}""",
                    i % 2 == 0 ? "stratumseind" : "markt", i, i % 5 == 0 ? "\"other\"" : "\"acme\"",
                    5.4787 + i * 0.0001, 51.4418 + i * 0.0001, i % 4 == 0 ? LONG_TEXT : "a" + i, 40 + i,
                    i % 2 == 0, i);
            twin.modify(ThingId.of("nl.demo." + domain + ":thing-" + i), JsonPointer.empty(), JsonObject.of(json),
                    WriteCondition.any());
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> index.engine().count(SearchRequest.filter(null))
                == 40);

        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.copy(Path.of("../../policies/default.json"), policies.resolve("default.json"));
        Files.writeString(policies.resolve("partner.json"), """
                {"policyId": "nl.lantaarn:fuzz", "entries": {"partner": {
                  "subjects": {"lantaarn:client:partner": {"type": "partner"}},
                  "resources": {"thing:/features/noise/properties/laeq": {"grant": [], "revoke": ["READ"]}}}}}
                """);
        ThingPolicies access = ThingPolicies.fromFolder(policies);
        ApiClient reader = new ApiClient("reader", Set.of(Role.READER), "fuzzing");
        ApiClient partner = new ApiClient("partner", Set.of(Role.READER), "fuzzing with a revoked property");
        SearchServlet servlet = new SearchServlet(twin, index.engine(), zones, (authorization, apiKey) -> {
            String key = apiKey != null ? apiKey : authorization == null ? "" : authorization.replace("Bearer ", "");
            return Optional.ofNullable(READER_KEY.equals(key) ? reader : PARTNER_KEY.equals(key) ? partner : null);
        }, access);

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/api/v1/search/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();

        // real cursors of a few queries, page after page
        for (String query : List.of("size=3", "size=2&sort=-features/noise/properties/laeq",
                "size=4&filter=gt(features/noise/properties/laeq,50)&sort=attributes/vendor,-thingId",
                "size=5&zone=stratumseind")) {
            String cursor = null;
            do {
                RawHttp.Response page = get("/api/v1/search/things?" + query
                        + (cursor == null ? "" : "&cursor=" + cursor), READER_KEY);
                assertThat(page.status()).as(query).isEqualTo(200);
                cursor = JsonObject.of(page.text()).getValue("cursor").map(JsonValue::asString).orElse(null);
                if (cursor != null) {
                    CURSORS.add(cursor);
                }
            } while (cursor != null && CURSORS.size() < 40);
        }
        assertThat(CURSORS).hasSizeGreaterThan(10);
    }

    @AfterContainer
    static void stop() throws Exception {
        // null-safe: a failed start shows its own error, not one of these
        if (server != null) {
            server.stop();
        }
        if (index != null) {
            index.close();
        }
        if (zones != null) {
            zones.close();
        }
        if (twin != null) {
            twin.deactivate();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    // ---- properties ----

    @Property(tries = 16_000, shrinking = ShrinkingMode.BOUNDED)
    void generatedFiltersAreAnsweredBelow500(@ForAll("filters") String filter, @ForAll("targets") String target,
            @ForAll boolean partner) throws IOException {
        call(target, Map.of("filter", filter), partner);
    }

    @Property(tries = 8_000, shrinking = ShrinkingMode.BOUNDED)
    void garbledFiltersAreAnsweredBelow500(@ForAll("garbledFilters") String filter, @ForAll("targets") String target)
            throws IOException {
        call(target, Map.of("filter", filter), false);
    }

    @Property(tries = 3_000, shrinking = ShrinkingMode.BOUNDED)
    void likePatternsFinishAndAreAnsweredBelow500(@ForAll("likePatterns") String pattern,
            @ForAll("likePaths") String path, @ForAll boolean partner) throws IOException {
        call("/api/v1/search/things", Map.of("filter", "like(" + path + "," + pattern + ")"), partner);
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED)
    void parametersAreAnsweredBelow500(@ForAll("targets") String target,
            @ForAll("parameters") Map<String, String> parameters, @ForAll boolean partner) throws IOException {
        call(target, parameters, partner);
    }

    @Property(tries = 5_000, shrinking = ShrinkingMode.BOUNDED)
    void cursorsAreAnsweredBelow500(@ForAll("cursors") String cursor, @ForAll("cursorQueries") String query)
            throws IOException {
        String target = "/api/v1/search/things?" + query + "&cursor=" + BadInputs.encode(cursor);
        assertHandled(get(target, READER_KEY), "GET " + target);
    }

    @Property(tries = 3_000, shrinking = ShrinkingMode.BOUNDED)
    void rawQueryStringsAreAnsweredBelow500(@ForAll("rawQueries") String query, @ForAll("targets") String target)
            throws IOException {
        String request = target + "?" + BadInputs.target(query, true);
        assertHandled(get(request, READER_KEY), "GET " + request);
    }

    // ---- generators ----

    private static final List<String> PATHS = List.of("thingId", "policyId", "definition", "_revision", "_modified",
            "_created", "attributes/zone", "attributes/tags", "attributes/vendor", "attributes/text",
            "attributes/location", "attributes/location/coordinates", "features/noise/properties/laeq",
            "features/*/properties/laeq", "features/noise/properties/units/laeq", "features/noise/properties/note",
            "features/noise/properties/ok", "features/lamp/desiredProperties/dim", "features/noise/definition",
            "features/*/*", "features/*", "attributes", "features", "attributes/missing");

    private static final List<String> ODD_PATHS = List.of("", "/", "attributes/", "/attributes/zone",
            "attributes//zone", "attributes/~0~1", "attributes/%2F", "features/**/properties", "features/*/",
            "thingid", "ThingId", "_metadata", "_policy", "attributes/a b", "attributes/\u00fc", "attributes/\"x\"",
            "attributes/" + "a/".repeat(300) + "b", "x".repeat(2000), "$where", "attributes/$gt", "__proto__",
            "attributes/..", "attributes/../../etc", "features/*/properties/*");

    @Provide
    Arbitrary<String> targets() {
        return Arbitraries.of("/api/v1/search/things", "/api/v1/search/things", "/api/v1/search/things/count",
                "/api/v1/search/things/", "/api/v1/search/zones", "/api/v1/search/nothing");
    }

    /** An RQL value: numbers, strings, booleans, null, placeholders, unquoted words. */
    static Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, BadInputs.jsonNumbers()),
                Tuple.of(4, BadInputs.jsonStrings()),
                Tuple.of(1, Arbitraries.of("true", "false", "null", "time:now", "time:now_epoch_millis",
                        "\"stratumseind\"", "\"nl.demo.safety:thing-1\"", "\"2026-11-23T21:00:00Z\"", "70", "70.0",
                        "\"" + LONG_TEXT + "\"", "abc", "'single'", "\"unterminated", "1e", "-", "NaN", "[1,2]",
                        "{\"a\":1}", "\"\\u0000\"", "\"\\\"\"", "\"\\\\\"")));
    }

    static Arbitrary<String> paths() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(PATHS)), Tuple.of(1, Arbitraries.of(ODD_PATHS)));
    }

    /** Filters in RQL's grammar, with random operators, paths and values, nested up to four levels. */
    static Arbitrary<String> validGrammar() {
        Arbitrary<String> comparison = Combinators.combine(Arbitraries.of("eq", "ne", "gt", "ge", "lt", "le"),
                paths(), values()).as((op, path, value) -> op + "(" + path + "," + value + ")");
        Arbitrary<String> in = Combinators.combine(paths(), values().list().ofMinSize(0).ofMaxSize(8))
                .as((path, list) -> "in(" + path + (list.isEmpty() ? "" : "," + String.join(",", list)) + ")");
        Arbitrary<String> like = Combinators.combine(paths(), likeValues())
                .as((path, pattern) -> "like(" + path + "," + pattern + ")");
        Arbitrary<String> exists = paths().map(path -> "exists(" + path + ")");
        Arbitrary<String> leaf = Arbitraries.frequencyOf(Tuple.of(5, comparison), Tuple.of(2, in), Tuple.of(2, like),
                Tuple.of(1, exists));
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("and", "or"), inner.list().ofMinSize(0).ofMaxSize(4))
                        .as((op, children) -> op + "(" + String.join(",", children) + ")"),
                inner.map(child -> "not(" + child + ")")), 0, 4);
    }

    static Arbitrary<String> likeValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("a", "b", "*", "?", "\\", "\u00fc", "\ud83d\ude00", "nl.demo.", ":", "thing-")
                        .list().ofMaxSize(12).map(pieces -> BadInputs.quote(String.join("", pieces)))),
                Tuple.of(1, values()));
    }

    @Provide
    Arbitrary<String> filters() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, validGrammar()),
                Tuple.of(1, deepFilters()),
                Tuple.of(1, hugeLists()),
                Tuple.of(1, BadInputs.injections()));
    }

    /** and/or/not nested from a few levels to far beyond what a recursive parser survives. */
    static Arbitrary<String> deepFilters() {
        return Combinators.combine(Arbitraries.of("and(", "or(", "not("),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(1, 60)),
                        Tuple.of(1, Arbitraries.integers().between(60, 3000))),
                Arbitraries.of("eq(thingId,\"x\")", "exists(attributes)", ""), Arbitraries.of(true, false))
                .as((op, depth, leaf, closed) -> op.repeat(depth) + leaf + (closed ? ")".repeat(depth) : ""));
    }

    /** in(...) with up to thousands of values (and so filters up to and past the length limit). */
    static Arbitrary<String> hugeLists() {
        return Combinators.combine(paths(), Arbitraries.integers().between(10, 4000), Arbitraries.of(true, false))
                .as((path, n, strings) -> {
                    StringBuilder filter = new StringBuilder("in(").append(path);
                    for (int i = 0; i < n; i++) {
                        filter.append(',').append(strings ? "\"v" + i + "\"" : Integer.toString(i));
                    }
                    return filter.append(')').toString();
                });
    }

    /** A valid filter with a mutation, cut short, random text, or the pieces of RQL in random order. */
    @Provide
    Arbitrary<String> garbledFilters() {
        Arbitrary<String> breakers = Arbitraries.of("(", ")", ",", "\"", "\\", "'", "*", "%", "%zz", "\u0000", " ",
                "\n", "eq(", "))", ",,", "null", ":", "/", "//", "\ud800", "\ufeff", "<script>", "${x}", ";");
        Arbitrary<String> mutated = Combinators.combine(validGrammar(), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 3), breakers).as((filter, at, kind, breaker) -> {
                    int i = (int) (at * filter.length());
                    return switch (kind) {
                        case 0 -> filter.substring(0, i) + breaker + filter.substring(i);
                        case 1 -> i < filter.length() ? filter.substring(0, i) + filter.substring(i + 1) : breaker;
                        case 2 -> i < filter.length() ? filter.substring(0, i) + breaker + filter.substring(i + 1)
                                : filter + breaker;
                        default -> filter.substring(0, i);
                    };
                });
        Arbitrary<String> shuffled = Arbitraries.of("eq", "like", "in", "and", "not", "exists", "(", ")", ",",
                "thingId", "attributes/zone", "\"x\"", "1", "*", "sort", "+", "-", "?", "time:now", " ")
                .list().ofMaxSize(20).map(pieces -> String.join("", pieces));
        return Arbitraries.frequencyOf(
                Tuple.of(6, mutated),
                Tuple.of(2, shuffled),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().ascii().ofMinLength(8000).ofMaxLength(8400)));
    }

    /** Patterns made to trip a backtracking matcher over the long texts, and ordinary ones. */
    @Provide
    Arbitrary<String> likePatterns() {
        Arbitrary<String> crafted = Combinators.combine(Arbitraries.integers().between(2, 40),
                Arbitraries.of("*a", "a*", "*?", "?*", "*a?", "**a"), Arbitraries.of("b", "", "?", "*", "a", "\u00fc"))
                .as((n, unit, end) -> BadInputs.quote(unit.repeat(n) + end));
        return Arbitraries.frequencyOf(Tuple.of(3, crafted), Tuple.of(2, likeValues()));
    }

    @Provide
    Arbitrary<String> likePaths() {
        return Arbitraries.of("attributes/text", "attributes/text", "thingId", "attributes/tags", "features/*/properties/laeq",
                "attributes/*");
    }

    @Provide
    Arbitrary<Map<String, String>> parameters() {
        Arbitrary<String> names = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of("filter", "sort", "size", "cursor", "fields", "near", "bbox", "zone",
                        "within")),
                Tuple.of(1, Arbitraries.of("namespaces", "option", "limit", "", "Filter", "filter[]", "$where")));
        Arbitrary<Tuple.Tuple2<String, String>> pairs = names.flatMap(name -> valueFor(name).map(v -> Tuple.of(name, v)));
        return pairs.list().ofMaxSize(5).map(list -> {
            Map<String, String> map = new LinkedHashMap<>();
            list.forEach(pair -> map.put(pair.get1(), pair.get2()));
            return map;
        });
    }

    private static Arbitrary<String> valueFor(String name) {
        return switch (name) {
            case "filter" -> validGrammar();
            case "sort" -> sorts();
            case "size" -> BadInputs.numbers();
            case "cursor" -> cursorsText();
            case "fields" -> BadInputs.fields();
            case "near" -> near();
            case "bbox" -> bbox();
            case "zone" -> Arbitraries.oneOf(Arbitraries.of("stratumseind", "markt", "stratumseind,markt",
                    "stratumseind,", ",", "", "STRATUMSEIND", "../stratumseind", "stratumseind.geojson"),
                    BadInputs.injections());
            case "within" -> geometries();
            default -> Arbitraries.oneOf(BadInputs.injections(), BadInputs.numbers());
        };
    }

    static Arbitrary<String> sorts() {
        Arbitrary<String> key = Combinators.combine(Arbitraries.of("+", "-", "", " ", "++", "*"), paths())
                .as((sign, path) -> sign + path);
        Arbitrary<String> list = key.list().ofMinSize(0).ofMaxSize(4).map(keys -> String.join(",", keys));
        return Arbitraries.frequencyOf(
                Tuple.of(3, list.map(keys -> "sort(" + keys + ")")),
                Tuple.of(2, list),
                Tuple.of(1, Arbitraries.of("sort(", "sort()", "sort(+thingId", "size(3)", "sort(+thingId)x",
                        "sort(+thingId),sort(-thingId)", "sort(" + "+thingId,".repeat(500) + "-thingId)")),
                Tuple.of(1, BadInputs.injections()));
    }

    static Arbitrary<String> near() {
        Arbitrary<String> number = Arbitraries.oneOf(BadInputs.jsonNumbers(), Arbitraries.of("51.44", "5.47", "50",
                "90", "-90", "180", "-180", "90.0001", "0", "-1", "2e7", "NaN", "Infinity", "", " "));
        return Arbitraries.frequencyOf(
                Tuple.of(4, number.list().ofMinSize(0).ofMaxSize(4).map(parts -> String.join(",", parts))),
                Tuple.of(1, BadInputs.injections()));
    }

    static Arbitrary<String> bbox() {
        Arbitrary<String> number = Arbitraries.oneOf(BadInputs.jsonNumbers(), Arbitraries.of("5.47", "51.43", "5.49",
                "51.45", "-180", "180", "-90", "90", "181", "NaN", ""));
        return Arbitraries.frequencyOf(
                Tuple.of(4, number.list().ofMinSize(0).ofMaxSize(5).map(parts -> String.join(",", parts))),
                Tuple.of(1, BadInputs.injections()));
    }

    static Arbitrary<String> geometries() {
        Arbitrary<String> ring = Combinators.combine(BadInputs.jsonNumbers(), BadInputs.jsonNumbers()).as(
                (a, b) -> "[" + a + "," + b + "]").list().ofMinSize(0).ofMaxSize(6).map(points -> "[" + String.join(",",
                        points) + "]");
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(
                        "{\"type\":\"Polygon\",\"coordinates\":[[[5.47,51.43],[5.49,51.43],[5.49,51.45],[5.47,51.43]]]}",
                        "{\"type\":\"Polygon\",\"coordinates\":[[[5.47,51.43],[5.49,51.45],[5.49,51.43],[5.47,51.45],"
                                + "[5.47,51.43]]]}",
                        "{\"type\":\"Polygon\",\"coordinates\":[[[51.43,5.47],[51.43,5.49],[51.45,5.49],[51.43,5.47]]]}",
                        "{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "{\"type\":\"Point\",\"coordinates\":[5,51]}",
                        "{\"type\":\"Polygon\"}", "{}", "[]", "null", "")),
                Tuple.of(2, ring.list().ofMaxSize(3).map(rings -> "{\"type\":\"Polygon\",\"coordinates\":["
                        + String.join(",", rings) + "]}")),
                Tuple.of(1, BadInputs.brokenJson()),
                Tuple.of(1, BadInputs.deepJson()));
    }

    /** Cursor text: real cursors, the same mutated, base64 of odd JSON, and plain text. */
    @Provide
    Arbitrary<String> cursors() {
        return cursorsText();
    }

    static Arbitrary<String> cursorsText() {
        Arbitrary<String> real = Arbitraries.of(CURSORS.isEmpty() ? List.of("x") : CURSORS);
        Arbitrary<String> mutated = Combinators.combine(real, Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 2), Arbitraries.chars().with("AZaz09-_=+/.%!~ \u00fc".toCharArray()))
                .as((cursor, at, kind, c) -> {
                    int i = (int) (at * cursor.length());
                    return switch (kind) {
                        case 0 -> cursor.substring(0, i) + c + cursor.substring(i);
                        case 1 -> cursor.substring(0, i);
                        default -> i < cursor.length() ? cursor.substring(0, i) + c + cursor.substring(i + 1) : cursor;
                    };
                });
        // the cursor's own shape ([version, query, keys, thing id]) with odd members
        Arbitrary<String> member = Arbitraries.oneOf(BadInputs.jsonValues(), Arbitraries.of("1", "-1", "2", "\"1\"",
                "[]", "[[3,1.5]]", "[[4,\"x\"]]", "[[1]]", "[[3]]", "[[3,\"x\"]]", "[[\"a\"]]", "[null]", "[[9e99]]"));
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.of("1", "1", "2", "\"1\"", "null", "1.5"), member,
                member, Arbitraries.oneOf(BadInputs.jsonStrings(), BadInputs.jsonScalars()))
                .as((version, query, keys, id) -> "[" + version + "," + query + "," + keys + "," + id + "]");
        Arbitrary<String> encoded = Arbitraries.oneOf(shaped, BadInputs.jsonValues(), BadInputs.brokenJson())
                .map(json -> Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.frequencyOf(
                Tuple.of(3, mutated),
                Tuple.of(3, encoded),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(1, BadInputs.injections()));
    }

    @Provide
    Arbitrary<String> cursorQueries() {
        return Arbitraries.of("size=3", "size=2&sort=-features/noise/properties/laeq",
                "size=4&filter=gt(features/noise/properties/laeq,50)&sort=attributes/vendor,-thingId",
                "size=5&zone=stratumseind", "size=1&sort=attributes/tags", "size=200", "size=2&sort=attributes/location",
                "size=2&fields=thingId");
    }

    /** Query strings as sent: broken percent escapes, separators, repeated and empty parameters. */
    @Provide
    Arbitrary<String> rawQueries() {
        Arbitrary<String> pieces = Arbitraries.of("filter=", "sort=", "size=", "cursor=", "zone=", "near=", "fields=",
                "&", "=", "==", "&&", "%", "%zz", "%2", "%00", "%ff", "%c0%ae", "+", "%2B", ";", "filter",
                "eq(thingId,%22x%22)", "like(attributes/text,%22*a*a*a*a*a*a*b%22)", "%28", "%29", "a", "1", "#", "?",
                "%E2%82", "size=1&size=2", "filter=exists(attributes)&filter=exists(features)");
        return pieces.list().ofMinSize(1).ofMaxSize(10).map(list -> String.join("", list));
    }

    // ---- helpers ----

    private static void call(String target, Map<String, String> parameters, boolean partner) throws IOException {
        String query = parameters.entrySet().stream()
                .map(e -> BadInputs.encode(e.getKey()) + "=" + BadInputs.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String request = query.isEmpty() ? target : target + "?" + query;
        assertHandled(get(request, partner ? PARTNER_KEY : READER_KEY), "GET " + request + " as "
                + (partner ? "partner" : "reader"));
    }

    private static RawHttp.Response get(String target, String key) throws IOException {
        return RawHttp.exchange(port, "GET", target, Map.of("X-API-Key", key), null, false, TIMEOUT);
    }

    /**
     * 2xx, or 4xx: from the search a problem document with a detail; from the container (no API-Version: the request
     * never reached the servlet) one of its refusals of a malformed request.
     */
    static void assertHandled(RawHttp.Response answer, String request) {
        Statistics.collect(answer.status() / 100 + "xx", answer.header("API-Version") == null ? "container" : "api");
        assertThat(answer.status() / 100).as("%s%n  answered %s", RawHttp.abbreviate(request), answer).isIn(2, 4);
        if (answer.status() < 400) {
            assertThat(answer.header("Content-Type")).as(request).startsWith("application/json");
            return;
        }
        if (answer.header("API-Version") == null) {
            assertThat(answer.status()).as("%s%n  refused by the container: %s", RawHttp.abbreviate(request), answer)
                    .isIn(400, 414, 431);
            return;
        }
        assertThat(answer.problemDetail()).as("%s%n  answered %s", RawHttp.abbreviate(request), answer)
                .isNotBlank();
    }
}
