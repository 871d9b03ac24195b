package nl.lantaarn.ditto.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.PayloadBuilder;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.protocol.TopicPathBuilder;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.ThingAccess;
import nl.lantaarn.twin.api.TwinNotFoundException;
import nl.lantaarn.twin.api.TwinService;

/**
 * {@code /api/2}: the things part of Eclipse Ditto's HTTP API v2 over the hub's twin. Every request needs an API key
 * (401 otherwise); retrieves and searches need role reader, writes role writer, and the hub's access policies decide
 * what of each thing the client may read and write ({@link Enforcement}), as on the WebSocket. {@code GET/PUT/PATCH/DELETE /api/2/things/{thingId}[/{path}]} reads and writes the thing or the part
 * at {@code path} (attributes, features, properties, ...) with {@link TwinService}; {@code GET /api/2/search/things}
 * searches. Errors are Ditto's JSON: {@code {"status","error","message","description"}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/2/*")
public final class DittoHttpServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DittoHttpServlet.class);
    /** Largest request body, as the WebSocket's largest message. */
    static final int MAX_BODY_BYTES = 262_144;

    private static final DittoProtocolAdapter ADAPTER = DittoProtocolAdapter.newInstance();

    private final transient TwinService twin;
    private final transient Authenticator authenticator;
    private final transient Enforcement enforcement;
    private final transient TwinCommands commands;
    private transient volatile ThingSearch search;

    @Activate
    public DittoHttpServlet(@Reference TwinService twin, @Reference Authenticator authenticator,
            @Reference ThingAccess access) {
        this.twin = twin;
        this.authenticator = authenticator;
        this.enforcement = new Enforcement(access);
        this.commands = new TwinCommands(twin, enforcement);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setSearch(ThingSearch search) {
        this.search = search;
    }

    void unsetSearch(ThingSearch gone) {
        if (search == gone) {
            search = null;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ApiClient> client = authenticator.authenticate(request.getHeader("Authorization"),
                request.getHeader("X-API-Key"));
        if (client.isEmpty()) {
            Unauthorized.answer(response);
            return;
        }
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        String correlationId = request.getHeader("correlation-id");
        DittoHeaders headers = DittoHeaders.newBuilder()
                .correlationId(correlationId == null || correlationId.isBlank()
                        ? java.util.UUID.randomUUID().toString() : correlationId)
                .build();
        try {
            if (correlationId != null && correlationId.isBlank()) {
                throw new HubRefusalException("headers.invalid", HttpStatus.BAD_REQUEST,
                        "The header 'correlation-id' is empty.", "Send a non-empty correlation-id, or none.",
                        headers);
            }
            requireDecodableQuery(request, headers);
            if (path.equals("/search/things")) {
                requireGet(request);
                search(request, response, client.get(), headers);
            } else if (path.startsWith("/things/")) {
                thing(request, response, client.get(), path.substring("/things/".length()), headers);
            } else {
                throw new HubRefusalException("gateway:resource.notfound", HttpStatus.NOT_FOUND,
                        "There is nothing at /api/2" + path + ".",
                        "The hub serves /api/2/things/{thingId}[/{path}] and /api/2/search/things.", headers);
            }
        } catch (DittoRuntimeException e) {
            DittoHttpErrors.write(response, e);
        } catch (RuntimeException e) {
            DittoRuntimeException error = DittoErrors.of(e, null, headers);
            if (error.getHttpStatus().isServerError()) {
                LOG.warn("{} /api/2{} failed (correlation id {})", request.getMethod(), path,
                        headers.getCorrelationId().orElse("-"), e);
            }
            DittoHttpErrors.write(response, error);
        }
    }

    /**
     * A request on a thing or a part of it, as Ditto's HTTP gateway serves it: turned into the Ditto command of the
     * same resource (by Ditto's protocol adapter) and executed like a WebSocket command, so roles, access policies
     * and errors are the same on both.
     */
    private void thing(HttpServletRequest request, HttpServletResponse response, ApiClient client, String rest,
            DittoHeaders headers) throws IOException {
        int slash = rest.indexOf('/');
        String idText = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
        ThingId thingId = ThingId.of(idText);
        JsonPointer path = slash < 0 ? JsonPointer.empty() : JsonPointer.of(rest.substring(slash));
        TopicPathBuilder topic = ProtocolFactory.newTopicPathBuilder(thingId).things().twin();
        PayloadBuilder payload = ProtocolFactory.newPayloadBuilder(path);
        org.eclipse.ditto.base.model.headers.DittoHeadersBuilder<?, ?> commandHeaders = headers.toBuilder();
        Optional.ofNullable(request.getHeader("If-Match")).ifPresent(v -> commandHeaders.putHeader("if-match", v));
        Optional.ofNullable(request.getHeader("If-None-Match"))
                .ifPresent(v -> commandHeaders.putHeader("if-none-match", v));
        TopicPath action;
        switch (request.getMethod()) {
            case "GET" -> {
                action = topic.commands().retrieve().build();
                String fields = request.getParameter("fields");
                if (fields != null && path.isEmpty()) {
                    payload.withFields(JsonFactory.parseJsonFieldSelector(fields));
                }
            }
            case "PUT" -> {
                action = topic.commands().modify().build();
                Enforcement.requireWriter(client, thingId, path, headers);
                payload.withValue(body(request, headers));
            }
            case "PATCH" -> {
                action = topic.commands().merge().build();
                Enforcement.requireWriter(client, thingId, path, headers);
                payload.withValue(body(request, headers));
                // the body is read as a merge patch (RFC 7396) whatever type it was sent as, as before
                commandHeaders.contentType("application/merge-patch+json");
            }
            case "DELETE" -> action = topic.commands().delete().build();
            default -> {
                response.setHeader("Allow", "GET, PUT, PATCH, DELETE");
                throw new HubRefusalException("gateway:method.notallowed", HttpStatus.METHOD_NOT_ALLOWED,
                        request.getMethod() + " is not allowed on a thing.", "Use GET, PUT, PATCH or DELETE.",
                        headers);
            }
        }
        Signal<?> command = ADAPTER.fromAdaptable(ProtocolFactory.newAdaptableBuilder(action)
                .withPayload(payload.build()).withHeaders(commandHeaders.build()).build());
        TwinCommands.Outcome outcome;
        try {
            outcome = commands.execute(command, client);
        } catch (TwinNotFoundException e) {
            // with the command, a missing part is the Ditto error of that part (attribute, feature, ...)
            throw DittoErrors.of(e, command instanceof ThingCommand<?> one ? one : null, headers);
        }
        if (outcome.status() == HttpStatus.CREATED) {
            response.setHeader("Location", request.getRequestURI());
        }
        if (outcome.value() == null) {
            response.setStatus(outcome.status().getCode());
        } else {
            json(response, outcome.status().getCode(), outcome.value());
        }
    }

    private void search(HttpServletRequest request, HttpServletResponse response, ApiClient client,
            DittoHeaders headers) throws IOException {
        Enforcement.requireReader(client, "Searching things", headers);
        ThingSearch thingSearch = search;
        if (thingSearch == null) {
            throw new HubRefusalException("things-search:search.unavailable", HttpStatus.SERVICE_UNAVAILABLE,
                    "The hub's search (bundle nl.lantaarn.search) is not running.",
                    "Retry later; ask the hub's operator to start the search bundle.", headers);
        }
        int size = SearchSubscriptions.DEFAULT_PAGE_SIZE;
        String option = request.getParameter("option");
        if (option != null && !option.isBlank()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("size\\((\\d{1,3})\\)").matcher(option.strip());
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1
                    || Integer.parseInt(m.group(1)) > SearchSubscriptions.MAX_PAGE_SIZE) {
                throw org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException
                        .newBuilder().message("The option '" + option + "' is not supported by this hub.")
                        .description("Use option=size(n) with n from 1 to " + SearchSubscriptions.MAX_PAGE_SIZE
                                + "; results are sorted by thing id. For more results use the WebSocket search.")
                        .dittoHeaders(headers).build();
            }
            size = Integer.parseInt(m.group(1));
        }
        List<String> ids;
        String filter = request.getParameter("filter");
        try {
            ids = thingSearch.thingIds(filter, null, null, ThingSearch.MAX_LIMIT);
        } catch (SearchQueryException e) {
            throw org.eclipse.ditto.base.model.exceptions.InvalidRqlExpressionException.newBuilder()
                    .message(e.getMessage())
                    .description("Write the filter as in Ditto's search, e.g. eq(attributes/zone,\"stratumseind\").")
                    .dittoHeaders(headers).build();
        }
        String namespaces = request.getParameter("namespaces");
        Set<String> wanted = namespaces == null || namespaces.isBlank() ? Set.of()
                : Set.of(namespaces.split(","));
        String fields = request.getParameter("fields");
        JsonFieldSelector selector = fields == null ? null : JsonFactory.parseJsonFieldSelector(fields);
        // a thing matches only when the client may read what the filter reads, and is answered as it may see it
        List<JsonPointer> queried = enforcement.readsEverything(client) ? List.of() : FilterPaths.of(filter);
        JsonArrayBuilder items = JsonFactory.newArrayBuilder();
        int count = 0;
        for (String id : ids) {
            if (count == size) {
                break;
            }
            if (!wanted.isEmpty() && !wanted.contains(id.substring(0, Math.max(0, id.indexOf(':'))))) {
                continue;
            }
            Optional<Thing> thing = twin.retrieve(ThingId.of(id));
            Optional<JsonObject> view = thing.isPresent()
                    && enforcement.mayMatch(client, thing.get().toJson(), queried)
                    ? enforcement.view(client, thing.get(), selector) : Optional.empty();
            if (view.isPresent()) {
                items.add(view.get());
                count++;
            }
        }
        json(response, 200, JsonObject.newBuilder().set("items", items.build()).build());
    }

    /**
     * The container cannot decode the query string (a '%' without two hex digits after it, bytes that are not UTF-8):
     * every getParameter would throw, so this refuses it once, before any parameter is read.
     */
    private static void requireDecodableQuery(HttpServletRequest request, DittoHeaders headers) {
        try {
            request.getParameterMap();
        } catch (RuntimeException e) {
            String query = String.valueOf(request.getQueryString());
            throw new HubRefusalException("gateway:query.invalid", HttpStatus.BAD_REQUEST, "The query string '"
                    + (query.length() > 200 ? query.substring(0, 200) + "..." : query) + "' cannot be decoded.",
                    "Percent-encode each parameter value as UTF-8, a '%' itself as %25.", headers);
        }
    }

    private static void requireGet(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            throw new HubRefusalException("gateway:method.notallowed", HttpStatus.METHOD_NOT_ALLOWED,
                    request.getMethod() + " is not allowed on the search.", "Use GET.", DittoHeaders.empty());
        }
    }

    private static JsonValue body(HttpServletRequest request, DittoHeaders headers) throws IOException {
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new HubRefusalException("gateway:request.toolarge", HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The body has more than " + MAX_BODY_BYTES + " bytes.",
                    "Write a large thing in parts, e.g. one feature per request.", headers);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (JsonNesting.deeperThan(text, ProtocolSession.MAX_NESTING)) {
            throw new HubRefusalException("json.invalid", HttpStatus.BAD_REQUEST,
                    "The body nests JSON deeper than " + ProtocolSession.MAX_NESTING + " levels.",
                    "Flatten the value.", headers);
        }
        try {
            return JsonFactory.readFrom(text);
        } catch (JsonRuntimeException e) {
            throw new HubRefusalException("json.invalid", HttpStatus.BAD_REQUEST,
                    "The body is not JSON: " + e.getMessage(), "Send the new value as JSON.", headers);
        }
    }

    private static void json(HttpServletResponse response, int status, JsonValue value) throws IOException {
        byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
