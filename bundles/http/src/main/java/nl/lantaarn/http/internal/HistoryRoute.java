package nl.lantaarn.http.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.history.api.HistoryBucket;
import nl.lantaarn.history.api.HistoryPoint;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.api.HistoryQueryException;
import nl.lantaarn.history.api.HistoryResult;
import nl.lantaarn.history.api.HistoryService;
import nl.lantaarn.history.api.HistoryUnavailableException;
import nl.lantaarn.history.api.Step;
import nl.lantaarn.twin.api.TwinService;

/**
 * {@code GET /things/{thingId}/features/{feature}/properties/{propertyPath}/history?from=&to=&step=&limit=}: the
 * recorded values of one property, raw or aggregated per step. The property path may hold slashes
 * ({@code units/laeq}). Times are ISO-8601; {@code to} defaults to now and {@code from} to 24 hours before {@code to}.
 */
final class HistoryRoute {

    static final Pattern PATH = Pattern.compile("^/things/([^/]+)/features/([^/]+)/properties/(.+)/history/?$");
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final TwinService twin;
    private final Supplier<HistoryService> history;
    private final Clock clock;

    HistoryRoute(TwinService twin, Supplier<HistoryService> history, Clock clock) {
        this.twin = twin;
        this.history = history;
        this.clock = clock;
    }

    /** Whether {@code path} (below /api/v1) is a history resource. */
    static boolean matches(String path) {
        // most paths are things or their parts: no regular expression for them
        return (path.endsWith("/history") || path.endsWith("/history/")) && PATH.matcher(path).matches();
    }

    /**
     * @param readable whether the caller may read the property (path inside the thing) of that thing; a property it
     *                 may not read is answered like a thing that does not exist
     */
    void handle(String path, BiPredicate<ThingId, JsonPointer> readable, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        Matcher match = PATH.matcher(path);
        if (!match.matches()) {
            throw new IllegalArgumentException("not a history path: " + path);
        }
        String rawId = match.group(1);
        ThingId thingId;
        try {
            thingId = ThingId.of(rawId);
        } catch (RuntimeException e) {
            ApiServlet.problem(response, 400, "Invalid thing id", "'" + rawId
                    + "' is not a thing id; use <namespace>:<name>, e.g. nl.demo.safety:noise-n-7.");
            return;
        }
        String feature = match.group(2);
        String property = match.group(3);

        HistoryQuery query;
        try {
            query = query(thingId, feature, property, request);
        } catch (HistoryQueryException e) {
            ApiServlet.problem(response, 400, "Bad request", e.getMessage());
            return;
        }
        HistoryService service = history.get();
        if (service == null) {
            ApiServlet.problem(response, 503, "History not available", "The history service is not running (bundle "
                    + "nl.lantaarn.history); /api/v1/health says why.");
            return;
        }
        if (twin.retrieve(thingId).isEmpty()
                || !readable.test(thingId, JsonPointer.of("/features/" + feature + "/properties").append(query.property()))) {
            ApiServlet.problem(response, 404, "Thing not found", "No thing with id '" + thingId
                    + "' exists; GET /api/v1/things lists the existing ones.");
            return;
        }
        HistoryResult result;
        try {
            result = service.query(query);
        } catch (HistoryQueryException e) {
            ApiServlet.problem(response, 400, "Bad request", e.getMessage());
            return;
        } catch (HistoryUnavailableException e) {
            ApiServlet.problem(response, 503, "History not available", e.getMessage());
            return;
        }
        result.next().ifPresent(next -> response.setHeader("Link", "<" + nextLink(request, query, next)
                + ">; rel=\"next\""));
        ApiServlet.json(response, 200, toJson(result, property).toString());
    }

    private HistoryQuery query(ThingId thingId, String feature, String property, HttpServletRequest request) {
        Optional<Instant> to = instant(request, "to");
        Optional<Instant> from = instant(request, "from");
        Instant end = to.orElseGet(clock::instant);
        Instant start = from.orElse(end.minus(DEFAULT_RANGE));
        Optional<Step> step = Optional.ofNullable(request.getParameter("step")).map(Step::parse);
        int limit = limit(request);
        JsonPointer pointer;
        try {
            pointer = JsonPointer.of(property);
        } catch (RuntimeException e) {
            throw new HistoryQueryException("property", "'" + property + "' is not a property path; use e.g. laeq "
                    + "or units/laeq.");
        }
        return HistoryQuery.of(thingId, feature, pointer, start, end).withStep(step).withLimit(limit);
    }

    private static Optional<Instant> instant(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null) {
            return Optional.empty();
        }
        // an unencoded '+' of a time zone offset arrives as a space
        String text = value.trim().replace(' ', '+');
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                instant = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw new HistoryQueryException(name, "'" + name + "' must be an ISO-8601 time with a zone, e.g. "
                        + "2026-11-23T21:00:00Z or 2026-11-23T22:00:00%2B01:00, was '" + value + "'.");
            }
        }
        // Instant takes years of a billion; the default range and the store's microseconds do not
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new HistoryQueryException(name, "'" + name + "' must be a time from " + EARLIEST + " to " + LATEST
                    + " (years 0000 to 9999), was '" + value + "'.");
        }
        return Optional.of(instant);
    }

    private static int limit(HttpServletRequest request) {
        String value = request.getParameter("limit");
        if (value == null) {
            return HistoryQuery.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= HistoryQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new HistoryQueryException("limit", "'limit' must be a whole number from 1 to " + HistoryQuery.MAX_LIMIT
                + ", was '" + value + "'; page with 'next' for more.");
    }

    static JsonObject toJson(HistoryResult result, String property) {
        HistoryQuery query = result.query();
        JsonObjectBuilder body = JsonObject.newBuilder()
                .set("thingId", query.thingId().toString())
                .set("feature", query.feature())
                .set("property", property)
                .set("from", result.from().toString())
                .set("to", result.to().toString());
        result.step().ifPresent(step -> body.set("step", step.label()));
        if (result.step().isPresent()) {
            var buckets = JsonArray.newBuilder();
            for (HistoryBucket bucket : result.buckets()) {
                buckets.add(JsonObject.newBuilder()
                        .set("start", bucket.start().toString())
                        .set("min", bucket.min())
                        .set("max", bucket.max())
                        .set("avg", bucket.avg())
                        .set("count", bucket.count())
                        .build());
            }
            body.set("buckets", buckets.build());
        } else {
            var points = JsonArray.newBuilder();
            for (HistoryPoint point : result.points()) {
                points.add(JsonObject.newBuilder().set("t", point.time().toString()).set("v", point.value()).build());
            }
            body.set("points", points.build());
        }
        result.next().ifPresent(next -> body.set("next", next.toString()));
        return body.build();
    }

    /** The same request from {@code next} on. */
    private static String nextLink(HttpServletRequest request, HistoryQuery query, Instant next) {
        StringBuilder link = new StringBuilder(request.getRequestURI())
                .append("?from=").append(encode(next.toString()))
                .append("&to=").append(encode(query.to().toString()));
        query.step().ifPresent(step -> link.append("&step=").append(step.label()));
        return link.append("&limit=").append(query.limit()).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
