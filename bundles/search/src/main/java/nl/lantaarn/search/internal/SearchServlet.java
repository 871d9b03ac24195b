package nl.lantaarn.search.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.locationtech.jts.geom.Envelope;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.ThingAccess;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.twin.api.TwinService;

/**
 * {@code /api/v1/search}: {@code GET /things} (one page of things), {@code GET /things/count} and {@code GET /zones}.
 * Same conventions as the rest of {@code /api/v1}: {@code API-Version} on every response, errors as RFC 9457 problem
 * documents whose detail says what to change; a bad filter's problem also carries {@code parameter} and
 * {@code position}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/search/*")
public final class SearchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String API_VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(SearchServlet.class);

    private final transient TwinService twin;
    private final transient SearchEngine engine;
    private final transient ZoneRegistry zones;
    private final transient Authenticator authenticator;
    private final transient ThingAccess access;

    @Activate
    public SearchServlet(@Reference TwinService twin, @Reference SearchIndex index, @Reference ZoneRegistry zones,
            @Reference Authenticator authenticator, @Reference ThingAccess access) {
        this(twin, index.engine(), zones, authenticator, access);
    }

    SearchServlet(TwinService twin, SearchEngine engine, ZoneRegistry zones, Authenticator authenticator,
            ThingAccess access) {
        this.twin = twin;
        this.engine = engine;
        this.zones = zones;
        this.authenticator = authenticator;
        this.access = access;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("API-Version", API_VERSION);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            problem(response, 405, "Method not allowed", "Search is read-only; use GET /api/v1/search" + path + ".",
                    null, -1);
            return;
        }
        Optional<ApiClient> client = authorized(request, response);
        if (client.isEmpty() || !decodableQuery(request, response)) {
            return;
        }
        try {
            switch (path) {
                case "/things", "/things/" -> things(client.get(), request, response);
                case "/things/count" -> count(client.get(), request, response);
                case "/zones", "/zones/" -> zones(response);
                default -> problem(response, 404, "Not found", "There is no resource at /api/v1/search" + path
                        + "; the resources are /search/things, /search/things/count and /search/zones.", null, -1);
            }
        } catch (QueryException e) {
            problem(response, 400, "Bad request", e.getMessage(), e.parameter(), e.position());
        } catch (RuntimeException e) {
            LOG.warn("Search failed on {}?{}: {}", path, request.getQueryString(), e.toString(), e);
            problem(response, 500, "Internal error", "The search failed inside the hub (" + e.getClass().getSimpleName()
                    + "); the hub's log has the details.", null, -1);
        }
    }

    /**
     * Whether the container can decode the query string; if not (a '%' without two hex digits after it, bytes that
     * are not UTF-8) every getParameter throws, so this answers the 400 once, before any parameter is read.
     */
    private static boolean decodableQuery(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try {
            request.getParameterMap();
            return true;
        } catch (RuntimeException e) {
            String query = request.getQueryString();
            problem(response, 400, "Bad request", "The query string '" + (query == null ? "" : query.length() > 200
                    ? query.substring(0, 200) + "..." : query) + "' cannot be decoded: percent-encode each parameter"
                    + " value as UTF-8, a '%' itself as %25.", null, -1);
            return false;
        }
    }

    /** Searching is reading: any role will do; without a known key 401, with a key that has no role 403. */
    private Optional<ApiClient> authorized(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<ApiClient> client = authenticator.authenticate(request.getHeader("Authorization"),
                request.getHeader("X-API-Key"));
        if (client.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"lantaarn\"");
            problem(response, 401, "Unauthorized", "The request has no API key, or one this hub does not know. "
                    + "Search needs an API key, sent as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'. An "
                    + "operator of this hub creates one with: ./lantaarn clients add <name> --role reader --purpose "
                    + "<why the client needs access>.", null, -1);
            return Optional.empty();
        }
        if (!client.get().may(Role.READER)) {
            problem(response, 403, "Forbidden", "Search needs role reader (or " + Role.ids().substring(
                    "reader, ".length()) + "); API client '" + client.get().name() + "' has no role. An operator "
                    + "can add a client with that role: ./lantaarn clients add <name> --role reader --purpose <why>.",
                    null, -1);
            return Optional.empty();
        }
        return client;
    }

    private void things(ApiClient client, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        JsonFieldSelector fields = fields(request.getParameter("fields"));
        SearchRequest query = request(request);
        SearchEngine.Page page = engine.search(query);
        JsonArrayBuilder items = JsonFactory.newArrayBuilder();
        boolean everything = access.readsEverything(client);
        List<JsonPointer> used = everything ? List.of() : QueryPaths.of(query);
        for (String id : page.thingIds()) {
            // the twin has the current state; a thing deleted since the search is left out
            Optional<Thing> thing = twin.retrieve(ThingId.of(id));
            if (thing.isEmpty()) {
                continue;
            }
            if (everything) {
                items.add(fields == null ? thing.get().toJson() : thing.get().toJson(JsonSchemaVersion.V_2, fields));
            } else {
                visible(client, thing.get(), used).ifPresent(view -> items.add(fields == null ? view : view.get(fields)));
            }
        }
        JsonObjectBuilder body = JsonObject.newBuilder().set("items", items.build());
        if (page.cursor() != null) {
            body.set("cursor", page.cursor());
        }
        json(response, body.build().toString());
    }

    private void count(ApiClient client, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        SearchRequest query = request(request);
        if (access.readsEverything(client)) {
            json(response, Integer.toString(engine.count(query)));
            return;
        }
        // counts only what the client may see, page by page
        List<JsonPointer> used = QueryPaths.of(query);
        int count = 0;
        String cursor = null;
        do {
            SearchEngine.Page page = engine.search(new SearchRequest(query.filter(), query.sort(),
                    Integer.toString(SearchEngine.MAX_SIZE), cursor, query.near(), query.bbox(), query.zone(),
                    query.within()));
            for (String id : page.thingIds()) {
                Optional<Thing> thing = twin.retrieve(ThingId.of(id));
                if (thing.isPresent() && visible(client, thing.get(), used).isPresent()) {
                    count++;
                }
            }
            cursor = page.cursor();
        } while (cursor != null);
        json(response, Integer.toString(count));
    }

    /**
     * The thing as the client's policies let it see it, when it may see it and may read every path the query
     * filters or sorts on (else a match would tell it something about a value it may not read).
     */
    private Optional<JsonObject> visible(ApiClient client, Thing thing, List<JsonPointer> used) {
        JsonObject json = thing.toJson();
        for (JsonPointer pointer : used) {
            if (!access.mayRead(client, json, pointer)) {
                return Optional.empty();
            }
        }
        return access.readable(client, json);
    }

    private void zones(HttpServletResponse response) throws IOException {
        JsonArrayBuilder items = JsonFactory.newArrayBuilder();
        for (Zone zone : zones.zones().values()) {
            Envelope box = zone.geometry().getEnvelopeInternal();
            items.add(JsonObject.newBuilder()
                    .set("id", zone.id())
                    .set("name", zone.name())
                    .set("file", zone.file())
                    .set("bbox", JsonArray.newBuilder().add(box.getMinX()).add(box.getMinY()).add(box.getMaxX())
                            .add(box.getMaxY()).build())
                    .build());
        }
        JsonArrayBuilder problems = JsonFactory.newArrayBuilder();
        zones.problems().forEach(problems::add);
        json(response, JsonObject.newBuilder().set("items", items.build()).set("problems", problems.build()).build()
                .toString());
    }

    private static SearchRequest request(HttpServletRequest request) {
        Map<String, String[]> parameters = request.getParameterMap();
        for (Map.Entry<String, String[]> entry : parameters.entrySet()) {
            if (entry.getValue().length > 1) {
                throw new QueryException(entry.getKey(), "Query parameter '" + entry.getKey()
                        + "' is given more than once; give it once (combine conditions with and(...)).");
            }
            if (!KNOWN.contains(entry.getKey())) {
                throw new QueryException(entry.getKey(), "Unknown query parameter '" + entry.getKey()
                        + "'; the parameters are " + String.join(", ", KNOWN) + ".");
            }
        }
        return new SearchRequest(request.getParameter("filter"), request.getParameter("sort"),
                request.getParameter("size"), request.getParameter("cursor"), request.getParameter("near"),
                request.getParameter("bbox"), request.getParameter("zone"), request.getParameter("within"));
    }

    private static final List<String> KNOWN = List.of("filter", "sort", "size", "cursor", "fields", "near", "bbox",
            "zone", "within");

    static JsonFieldSelector fields(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JsonFactory.newFieldSelector(text, JsonFactory.newParseOptionsBuilder().withoutUrlDecoding().build());
        } catch (JsonRuntimeException | DittoRuntimeException | IllegalArgumentException e) {
            throw new QueryException("fields", "'fields' must be a comma-separated list of JSON pointers such as"
                    + " thingId,attributes/location,features/noise/properties/laeq: " + e.getMessage());
        }
    }

    private static void json(HttpServletResponse response, String body) throws IOException {
        write(response, 200, "application/json", body);
    }

    static void problem(HttpServletResponse response, int status, String title, String detail, String parameter,
            int position) throws IOException {
        JsonObjectBuilder body = JsonObject.newBuilder()
                .set("type", "about:blank")
                .set("title", title)
                .set("status", status)
                .set("detail", detail);
        if (parameter != null) {
            body.set("parameter", parameter);
        }
        if (position > 0) {
            body.set("position", position);
        }
        write(response, status, "application/problem+json", body.build().toString());
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
