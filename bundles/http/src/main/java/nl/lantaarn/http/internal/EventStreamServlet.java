package nl.lantaarn.http.internal;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Authenticator;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.security.api.ThingAccess;

/**
 * {@code GET /api/v1/events}: the twin's changes as server-sent events, filtered on the server by thing, namespace,
 * domain and zone, resumable with {@code Last-Event-ID} (or {@code ?since=}) from the {@link EventFeed}'s ring. An
 * asynchronous servlet: an open stream holds no thread; one shared thread writes (non-blocking) and sends heartbeats.
 * Needs role reader, like every read.
 */
@Component(service = Servlet.class, configurationPid = EventStreamServlet.PID)
@Designate(ocd = EventStreamServlet.Config.class)
@HttpWhiteboardServletPattern("/api/v1/events")
@HttpWhiteboardServletAsyncSupported
public final class EventStreamServlet extends HttpServlet {

    static final String PID = "nl.lantaarn.http.events";

    @ObjectClassDefinition(name = "Lantaarn event stream (GET /api/v1/events)")
    public @interface Config {
        @AttributeDefinition(description = "How many recent events the hub keeps for clients that resume with "
                + "Last-Event-ID; older ids get an 'event: gap' first.", min = "1")
        int ringSize() default 10_000;

        @AttributeDefinition(description = "How many events may wait for one client; beyond it the stream gets "
                + "'event: overflow' and is closed.", min = "1")
        int bufferSize() default 1000;

        @AttributeDefinition(description = "Seconds between heartbeat comments on an idle stream.", min = "1")
        int heartbeatSeconds() default 15;

        @AttributeDefinition(description = "Open streams one API client may have at once; beyond it 429.",
                min = "1")
        int maxStreamsPerClient() default 4;

        @AttributeDefinition(description = "Seconds an overflowed stream may take to receive its overflow event "
                + "before it is cut.", min = "1")
        int overflowGraceSeconds() default 10;
    }

    private static final long serialVersionUID = 1L;
    static final Set<String> PARAMETERS = Set.of("thing", "namespace", "domain", "zone", "since");
    static final int MAX_VALUES = 50;
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final int RETRY_AFTER_SECONDS = 30;

    private final transient EventFeed feed;
    private final transient ThingAccess access;
    private final transient Authentication authentication;
    private final transient Supplier<ThingSearch> search;
    private final transient ScheduledExecutorService writer;
    private final int bufferSize;
    private final int maxStreamsPerClient;
    private final int overflowGraceSeconds;
    private final transient Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final transient Map<String, Integer> streamsByClient = new ConcurrentHashMap<>();
    private transient volatile ThingSearch thingSearch;

    @Activate
    public EventStreamServlet(@Reference EventFeed feed, @Reference Authenticator authenticator,
            @Reference ThingAccess access, Config config) {
        this(feed, authenticator, access, null, config.bufferSize(), config.heartbeatSeconds(),
                config.maxStreamsPerClient(), config.overflowGraceSeconds());
    }

    /** For tests: {@code search} stands for the optional search service when not {@code null}. */
    EventStreamServlet(EventFeed feed, Authenticator authenticator, ThingAccess access, ThingSearch search,
            int bufferSize, int heartbeatSeconds, int maxStreamsPerClient, int overflowGraceSeconds) {
        this.feed = feed;
        this.access = access;
        this.authentication = new Authentication(authenticator);
        this.thingSearch = search;
        this.search = () -> thingSearch;
        this.bufferSize = bufferSize;
        this.maxStreamsPerClient = maxStreamsPerClient;
        this.overflowGraceSeconds = overflowGraceSeconds;
        this.writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lantaarn-event-streams");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, heartbeatSeconds);
        writer.scheduleWithFixedDelay(() -> open.forEach(EventStream::heartbeat), every, every, TimeUnit.SECONDS);
    }

    /** Optional: only the {@code zone} filter needs it (503 without). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSearch(ThingSearch service) {
        thingSearch = service;
    }

    void unsetSearch(ThingSearch service) {
        if (thingSearch == service) {
            thingSearch = null;
        }
    }

    @Deactivate
    void deactivate() {
        open.forEach(EventStream::close);
        writer.shutdownNow();
    }

    /** Open streams, for tests and the log. */
    int openStreams() {
        return open.size();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("API-Version", ApiServlet.API_VERSION);
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            ApiServlet.problem(response, 405, "Method not allowed",
                    "The event stream is read with GET (Accept: text/event-stream).");
            return;
        }
        if (!Params.decodableQuery(request, response)) {
            return;
        }
        Optional<ApiClient> client = authentication.require(request, response, Role.READER,
                "Reading /events needs");
        if (client.isEmpty()) {
            return;
        }
        Predicate<EventFeed.StreamEvent> filter;
        Long after;
        try {
            filter = filter(request);
            after = resumeAfter(request);
        } catch (Params.BadParameter e) {
            ApiServlet.problem(response, 400, "Bad request", e.getMessage());
            return;
        } catch (SearchMissing e) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            ApiServlet.problem(response, 503, "Service unavailable", e.getMessage());
            return;
        }
        String name = client.get().name();
        if (!takeSlot(name)) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            ApiServlet.problem(response, 429, "Too many requests", "API client '" + name + "' already has "
                    + maxStreamsPerClient + " open event streams, the most one client may have; close one, or "
                    + "filter one stream to what several were for.");
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        // proxies such as nginx would otherwise hold events back to fill their buffers
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        ApiClient caller = client.get();
        Predicate<EventFeed.StreamEvent> wanted = filter;
        EventStream stream = new EventStream(name, async, response.getOutputStream(),
                event -> wanted.test(event) ? visibleFrame(caller, event) : null, bufferSize, writer, this::closed);
        async.addListener(stream);
        open.add(stream);
        // non-blocking from here on; the stream writes nothing until it is subscribed and started
        response.getOutputStream().setWriteListener(stream);
        feed.subscribe(stream, after);
        stream.start();
    }

    /**
     * The event as the client's policies let it see it: the shared frame when it may read all of the changed part,
     * a frame with the value cut to its readable fields when it may read some, none when it may read nothing of it.
     */
    String visibleFrame(ApiClient client, EventFeed.StreamEvent event) {
        if (access.readsEverything(client)) {
            return event.frame();
        }
        JsonObject thing = event.thing().toJson();
        JsonPointer path = JsonPointer.of(event.data().getValue("path").map(JsonValue::asString).orElse("/"));
        if (access.mayRead(client, thing, path)) {
            return event.frame();
        }
        Optional<JsonValue> value = event.data().getValue("value");
        if (value.isEmpty() || access.readable(client, thing).isEmpty()) {
            return null;
        }
        // the changed value where it sits in the thing, with what decides the thing's zone and (purpose binding) its
        // adapter
        JsonObject shaped = JsonObject.newBuilder().set("thingId", event.thingId()).build();
        for (String scope : List.of("attributes/location", "attributes/zone", "attributes/adapter")) {
            JsonPointer pointer = JsonPointer.of(scope);
            Optional<JsonValue> held = thing.getValue(pointer);
            if (held.isPresent()) {
                shaped = shaped.setValue(pointer, held.get());
            }
        }
        shaped = path.isEmpty() ? (value.get().isObject() ? shaped.setAll(value.get().asObject()) : shaped)
                : shaped.setValue(path, value.get());
        Optional<JsonValue> visible = access.readable(client, shaped)
                .flatMap(view -> path.isEmpty() ? Optional.of(view) : view.getValue(path));
        return visible.map(cut -> event.frame(event.data().setValue("value", cut))).orElse(null);
    }

    private boolean takeSlot(String client) {
        boolean[] taken = {false};
        streamsByClient.compute(client, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxStreamsPerClient) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Called once or more per stream when it closes or overflows; releases its slot once. */
    private void closed(EventStream stream) {
        if (open.remove(stream)) {
            feed.unsubscribe(stream);
            streamsByClient.computeIfPresent(stream.client(), (key, count) -> count <= 1 ? null : count - 1);
            // an overflowed stream whose client does not read never takes its overflow event: cut it then
            if (!writer.isShutdown()) {
                writer.schedule(stream::close, overflowGraceSeconds, TimeUnit.SECONDS);
            }
        }
    }

    /** The id after which to resume: the Last-Event-ID header (an EventSource reconnecting), else {@code since}. */
    private static Long resumeAfter(HttpServletRequest request) {
        String header = request.getHeader("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return eventId(header, "Header 'Last-Event-ID'");
        }
        String since = request.getParameter("since");
        return since == null ? null : eventId(since, "Query parameter 'since'");
    }

    private static long eventId(String value, String what) {
        try {
            long id = Long.parseLong(value.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Params.BadParameter(what + " must be the id of an event this stream sent (a whole number, 0 or "
                + "more; 0 = every event the hub still holds), was '" + value + "'.");
    }

    /** The stream's filter; every given parameter must hold (several values of one parameter: any of them). */
    private Predicate<EventFeed.StreamEvent> filter(HttpServletRequest request) {
        for (String name : request.getParameterMap().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new Params.BadParameter("Query parameter '" + name + "' is not known here; the event stream "
                        + "takes thing, namespace, domain, zone and since.");
            }
        }
        Predicate<EventFeed.StreamEvent> filter = event -> true;
        Set<String> things = values(request, "thing");
        for (String thing : things) {
            try {
                ThingId.of(thing);
            } catch (RuntimeException e) {
                throw new Params.BadParameter("Query parameter 'thing' must be a thing id such as "
                        + "nl.eindhoven.safety:noise-7, was '" + thing + "'.");
            }
        }
        if (!things.isEmpty()) {
            filter = filter.and(event -> things.contains(event.thingId()));
        }
        Set<String> namespaces = values(request, "namespace");
        for (String namespace : namespaces) {
            if (!validNamespace(namespace)) {
                throw new Params.BadParameter("Query parameter 'namespace' must be a namespace such as "
                        + "nl.eindhoven.safety (dot-separated names, each starting with a letter), was '"
                        + namespace + "'.");
            }
        }
        if (!namespaces.isEmpty()) {
            filter = filter.and(event -> namespaces.contains(event.namespace()));
        }
        Set<String> domains = values(request, "domain");
        for (String domain : domains) {
            if (!DOMAIN.matcher(domain).matches()) {
                throw new Params.BadParameter("Query parameter 'domain' must be the last segment of a namespace, "
                        + "e.g. safety for nl.eindhoven.safety (a letter, then letters, digits, '_' or '-'), was '"
                        + domain + "'.");
            }
        }
        if (!domains.isEmpty()) {
            filter = filter.and(event -> domains.contains(domain(event.namespace())));
        }
        Set<String> zones = values(request, "zone");
        if (!zones.isEmpty()) {
            ThingSearch current = search.get();
            if (current == null) {
                throw new SearchMissing("The zone filter needs the search service (nl.lantaarn.search), which is not "
                        + "running; leave out 'zone' or try again when it runs.");
            }
            for (String zone : zones) {
                if (zone.length() > 200 || current.zone(zone).isEmpty()) {
                    throw new Params.BadParameter("Query parameter 'zone' must be the id of a zone of the hub's "
                            + "zones folder (GET /api/v1/search/zones lists them), was '" + zone + "'.");
                }
            }
            filter = filter.and(event -> inZone(event, zones));
        }
        return filter;
    }

    /** Whether the thing's {@code attributes/location} lies in one of the zones, as search's {@code zone=} says. */
    private boolean inZone(EventFeed.StreamEvent event, Set<String> zones) {
        double[] location = event.location();
        ThingSearch current = search.get();
        if (location == null || current == null) {
            return false;
        }
        List<String> containing = current.zonesAt(location[0], location[1]);
        return containing.stream().anyMatch(zones::contains);
    }

    private static Set<String> values(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return Set.of();
        }
        if (values.length > MAX_VALUES) {
            throw new Params.BadParameter("Query parameter '" + name + "' may be given at most " + MAX_VALUES
                    + " times, was " + values.length + ".");
        }
        Set<String> set = new LinkedHashSet<>();
        for (String value : values) {
            if (value.isBlank() || value.length() > 256) {
                throw new Params.BadParameter("Query parameter '" + name + "' must not be empty or longer than 256 "
                        + "characters.");
            }
            set.add(value.trim());
        }
        return Set.copyOf(set);
    }

    private static boolean validNamespace(String namespace) {
        try {
            ThingId.of(namespace, "x");
            return !namespace.isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String domain(String namespace) {
        return namespace.substring(namespace.lastIndexOf('.') + 1);
    }

    /** The zone filter without the search service: 503, not the client's fault. */
    private static final class SearchMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SearchMissing(String message) {
            super(message);
        }
    }
}
