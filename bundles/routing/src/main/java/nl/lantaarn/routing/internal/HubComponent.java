package nl.lantaarn.routing.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.eclipse.ditto.json.JsonPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.routing.api.PendingAction;
import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * The {@code hub} Camel component: {@code hub:events?namespace=&thing=&domain=&feature=&definition=&zone=} consumes
 * the twin's change events; {@code hub:alert?channels=&severity=&title=&dedupWindow=&dedupBy=} raises alerts through
 * the notification service; {@code hub:command?feature=&thing=&nearThing=&radius=&zone=&sameZone=&namespace=
 * &revertAfter=} sets desired properties in the twin; {@code hub:update?feature=&thing=} sets reported properties;
 * {@code hub:things?...} and {@code hub:value?...} look things and values up into a header;
 * {@code hub:confirm?action=&then=&timeout=} parks a message until an operator confirms it. The routing component feeds
 * every twin event to {@link #dispatch(TwinEvent)}.
 */
final class HubComponent extends DefaultComponent {

    static final String SCHEME = "hub";
    static final String EVENTS = "events";
    static final String ALERT = "alert";
    static final String COMMAND = "command";
    static final String CONFIRM = "confirm";
    static final String THINGS = "things";
    static final String VALUE = "value";
    static final String UPDATE = "update";
    /** The largest radius of nearThing, in metres. */
    static final double MAX_RADIUS_METRES = 100_000;
    /** The most threads the hub:events routes get when many of them block at once (slow outputs). */
    static final int MAX_ROUTE_WORKERS = 256;
    /** The longest revertAfter. */
    static final Duration MAX_REVERT_AFTER = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(HubComponent.class);
    private static final String ENDPOINTS = "hub:events?namespace=&thing=&domain=&feature=&definition=&zone=, "
            + "hub:alert?channels=&severity=&title=&dedupWindow=&dedupBy=, "
            + "hub:command?feature=&thing=&nearThing=&radius=&zone=&sameZone=&namespace=&revertAfter=, "
            + "hub:update?feature=&thing=, "
            + "hub:things?zone=|sameZone=true|nearThing=true&radius=&filter=&feature=&limit=&header=, "
            + "hub:value?thing=&pointer=&header= or hub:value?zone=|sameZone=true&feature=&property=&aggregate="
            + "&maxAge=&timeProperty=&header=, and hub:confirm?action=&then=&timeout=";
    /** The longest a parked action may wait for a decision. */
    static final Duration MAX_CONFIRM_TIMEOUT = Duration.ofDays(7);
    /** Bounds the action text people read. */
    static final int MAX_ACTION_CHARS = 200;
    private static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    /** Told about every event a started consumer could not take, or that failed in its route. */
    interface UndeliveredHandler {
        void undelivered(HubConsumer consumer, TwinEventView event, String reason);

        void failed(HubConsumer consumer, TwinEventView event, Throwable failure);

        /** A confirmed action failed at its {@code then} endpoint (Camel has not necessarily logged it). */
        void confirmedFailed(PendingAction action, String then, Throwable failure, String body);
    }

    /** The started consumers; replaced as a whole (copy on write) when one starts or stops. */
    private volatile ConsumerIndex<HubConsumer> consumers = ConsumerIndex.empty();
    /** Serialises the replacements of {@link #consumers}; dispatch reads it without. */
    private final Object consumersLock = new Object();
    private final int queueCapacity;
    private final long queueWaitNanos;
    private final UndeliveredHandler undelivered;
    private final HubServices services;
    private final PendingActions pendingActions;
    private final ZoneLookup zoneLookup;
    private final CommandReverts reverts;
    /** The threads of the hub:events routes; made when the component starts. */
    private volatile RouteWorkers workers;

    /**
     * @param queueWait how long a full route queue holds the twin's event thread, again while the route makes
     *                  progress; zero: a full queue dead-letters at once
     */
    HubComponent(int queueCapacity, Duration queueWait, UndeliveredHandler undelivered, HubServices services,
            PendingActions pendingActions) {
        this.queueCapacity = queueCapacity;
        this.queueWaitNanos = queueWait.toNanos();
        this.undelivered = undelivered;
        this.services = services;
        this.pendingActions = pendingActions;
        this.zoneLookup = new ZoneLookup(services.search());
        this.reverts = new CommandReverts(services.twin());
    }

    CommandReverts reverts() {
        return reverts;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        workers = new RouteWorkers("hub:events", RouteWorkers.defaultBaseWorkers(), MAX_ROUTE_WORKERS);
    }

    @Override
    protected void doStop() throws Exception {
        // after the routes stopped (the context stops components last): nothing commands any more
        reverts.close();
        RouteWorkers current = workers;
        if (current != null) {
            current.close();
        }
        super.doStop();
    }

    /** The threads of the hub:events routes, while the component runs. */
    RouteWorkers workers() {
        RouteWorkers current = workers;
        if (current == null) {
            throw new IllegalStateException("the hub component is not started");
        }
        return current;
    }

    PendingActions pendingActions() {
        return pendingActions;
    }

    void confirmedFailed(PendingAction action, String then, Throwable failure, String body) {
        undelivered.confirmedFailed(action, then, failure, body);
    }

    RoutePurposes purposes() {
        return services.purposes();
    }

    HubServices services() {
        return services;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (ALERT.equals(remaining)) {
            return alertEndpoint(uri, parameters);
        }
        if (COMMAND.equals(remaining)) {
            return commandEndpoint(uri, parameters);
        }
        if (CONFIRM.equals(remaining)) {
            return confirmEndpoint(uri, parameters);
        }
        if (THINGS.equals(remaining)) {
            return thingsEndpoint(uri, parameters);
        }
        if (VALUE.equals(remaining)) {
            return valueEndpoint(uri, parameters);
        }
        if (UPDATE.equals(remaining)) {
            return updateEndpoint(uri, parameters);
        }
        if (!EVENTS.equals(remaining)) {
            throw new IllegalArgumentException("hub:" + remaining + " is not a hub endpoint; the hub component offers "
                    + ENDPOINTS);
        }
        HubFilter filter = new HubFilter(
                getAndRemoveParameter(parameters, "namespace", String.class),
                getAndRemoveParameter(parameters, "thing", String.class),
                getAndRemoveParameter(parameters, "domain", String.class),
                getAndRemoveParameter(parameters, "feature", String.class),
                getAndRemoveParameter(parameters, "definition", String.class),
                getAndRemoveParameter(parameters, "zone", String.class));
        if (filter.zone() != null) {
            warnIfUnknownZone("hub:events", filter.zone());
        }
        // parameters left over are reported by Camel as unknown, naming them
        return new HubEndpoint(uri, this, filter);
    }

    /**
     * A zone may be added to the zones folder after the route, so an unknown zone is not an error; but it is most
     * likely a typo, so say so once, when the route starts.
     */
    private void warnIfUnknownZone(String endpoint, String zone) {
        ThingSearch search = services.search().get();
        if (search != null && search.zone(zone).isEmpty()) {
            LOG.warn("{} zone={}: the zones folder has no zone {}; nothing matches until a zone file defines it "
                    + "(GET /api/v1/search/zones lists the zones)", endpoint, zone, zone);
        }
    }

    private Endpoint thingsEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String name = "hub:things";
        Targets targets = targets(parameters, name, true, name + ": give one of zone=<zone id>, sameZone=true or "
                + "nearThing=true&radius=<metres>");
        String thing = text(parameters, "thing");
        String filter = text(parameters, "filter");
        String feature = text(parameters, "feature");
        int limit = integer(parameters, name, "limit", HubThingsEndpoint.DEFAULT_LIMIT, 1, ThingSearch.MAX_LIMIT);
        String header = text(parameters, "header");
        if (!targets.byZone() && !targets.nearThing() && filter == null && feature == null) {
            throw new IllegalArgumentException(name + " needs zone=<zone id>, sameZone=true, "
                    + "nearThing=true&radius=<metres> or filter=<RQL>: which things to list");
        }
        if (!targets.nearThing() && (targets.radius() != null || thing != null)) {
            throw new IllegalArgumentException(name + ": radius and thing only apply with nearThing=true");
        }
        checkSearchableFeature(name, feature);
        String rql = HubLookups.rql(filter, feature);
        checkFilter(name, filter, rql);
        warnIfUnknownZone(name, targets);
        return new HubThingsEndpoint(uri, this, new HubThingsEndpoint.Options(targets.zone(), targets.sameZone(),
                targets.nearThing(), targets.radiusMetres(), thing, rql, limit,
                header == null ? HubThingsEndpoint.DEFAULT_HEADER : header));
    }

    /**
     * Which things a look-up or command is about, the same options for {@code hub:things}, {@code hub:value} and
     * {@code hub:command}: a zone, the exchange's zone, or the things near a thing.
     */
    private record Targets(String zone, boolean sameZone, boolean nearThing, Double radius) {

        boolean byZone() {
            return zone != null || sameZone;
        }

        double radiusMetres() {
            return radius == null ? 0 : radius;
        }
    }

    /**
     * Reads {@code zone}, {@code sameZone} and (with {@code near}) {@code nearThing} and {@code radius}: with
     * {@code oneOf} at most one of the three (else {@code oneOf} is the error), and with {@code nearThing} a radius
     * within bounds.
     */
    private Targets targets(Map<String, Object> parameters, String name, boolean near, String oneOf) {
        String zone = text(parameters, "zone");
        boolean sameZone = bool(parameters, name, "sameZone");
        boolean nearThing = near && bool(parameters, name, "nearThing");
        Double radius = near ? number(parameters, name, "radius", "metres, e.g. radius=50") : null;
        if (oneOf != null && (zone != null ? 1 : 0) + (sameZone ? 1 : 0) + (nearThing ? 1 : 0) > 1) {
            throw new IllegalArgumentException(oneOf);
        }
        if (nearThing && (radius == null || !(radius > 0) || radius > MAX_RADIUS_METRES)) {
            throw new IllegalArgumentException(name + " with nearThing=true needs radius=<metres>, more than 0 and at "
                    + "most 100000, was " + radius);
        }
        return new Targets(zone, sameZone, nearThing, radius);
    }

    private void warnIfUnknownZone(String name, Targets targets) {
        if (targets.zone() != null) {
            warnIfUnknownZone(name, targets.zone());
        }
    }

    private static void checkSearchableFeature(String name, String feature) {
        if (feature != null && !HubLookups.SEARCHABLE_FEATURE.matcher(feature).matches()) {
            throw new IllegalArgumentException(name + " feature=" + feature + ": to find things by feature, the "
                    + "feature id must be letters, digits, '_', '.' and '-', e.g. feature=lamp");
        }
    }

    /** A filter that does not parse fails the route at once, when the search runs already (else at the first use). */
    private void checkFilter(String name, String filter, String rql) {
        ThingSearch search = services.search().get();
        if (filter == null || search == null) {
            return;
        }
        try {
            search.thingIds(rql, null, null, 1);
        } catch (SearchQueryException e) {
            // the message says it all; the search's exception adds no more
            throw new IllegalArgumentException(name + " filter=" + filter + ": " + e.getMessage());
        }
    }

    private Endpoint valueEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String name = "hub:value";
        String thing = text(parameters, "thing");
        String pointer = text(parameters, "pointer");
        // both zone and sameZone is refused below, after the pointer= checks
        Targets targets = targets(parameters, name, false, null);
        String zone = targets.zone();
        boolean sameZone = targets.sameZone();
        String feature = text(parameters, "feature");
        String property = text(parameters, "property");
        String aggregate = text(parameters, "aggregate");
        Duration maxAge = duration(parameters, name, "maxAge", "PT2M (2 minutes)");
        String timeProperty = text(parameters, "timeProperty");
        String header = text(parameters, "header");
        header = header == null ? HubValueEndpoint.DEFAULT_HEADER : header;
        if (pointer != null) {
            if (zone != null || sameZone || feature != null || property != null || aggregate != null
                    || maxAge != null || timeProperty != null) {
                throw new IllegalArgumentException(name + ": pointer= reads one value of one thing; zone, sameZone, "
                        + "feature, property, aggregate, maxAge and timeProperty belong to an aggregate over a zone");
            }
            return new HubValueEndpoint(uri, this, new HubValueEndpoint.Options(thing, pointer(name, "pointer",
                    pointer), null, false, null, null, null, null, null, header));
        }
        if (zone == null && !sameZone) {
            throw new IllegalArgumentException(name + " needs pointer=<JSON pointer>, e.g. "
                    + "pointer=/features/lamp/properties/dimLevel (of thing=<id> or the thing in the "
                    + HubHeaders.THING_ID + " header), or zone=<zone id> or sameZone=true with feature=<id>, "
                    + "property=<name> and aggregate=max|min|sum|count|latest");
        }
        if (zone != null && sameZone) {
            throw new IllegalArgumentException(name + ": give zone=<zone id> or sameZone=true, not both");
        }
        if (thing != null) {
            throw new IllegalArgumentException(name + ": thing= applies with pointer=, not to an aggregate over a "
                    + "zone");
        }
        if (feature == null || property == null || aggregate == null) {
            throw new IllegalArgumentException(name + " over a zone needs feature=<feature id>, property=<property, "
                    + "e.g. peopleCount> and aggregate=max|min|sum|count|latest");
        }
        checkSearchableFeature(name, feature);
        HubValueEndpoint.Aggregate how;
        try {
            how = HubValueEndpoint.Aggregate.valueOf(aggregate.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " aggregate=" + aggregate + " is not an aggregate; use one of "
                    + "max, min, sum, count, latest");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException(name + " maxAge=" + maxAge + " must be more than 0, e.g. PT2M");
        }
        if (maxAge != null && timeProperty == null) {
            throw new IllegalArgumentException(name + " maxAge needs timeProperty=<the feature's time property, "
                    + "an ISO-8601 time>, e.g. timeProperty=observedAt");
        }
        warnIfUnknownZone(name, targets);
        return new HubValueEndpoint(uri, this, new HubValueEndpoint.Options(null, null, zone, sameZone, feature,
                pointer(name, "property", property), how, maxAge,
                timeProperty == null ? null : pointer(name, "timeProperty", timeProperty), header));
    }

    private Endpoint updateEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String feature = text(parameters, "feature");
        if (feature == null || feature.contains("/")) {
            throw new IllegalArgumentException("hub:update needs feature=<feature id>, e.g. feature=report: the "
                    + "feature whose reported properties are set");
        }
        return new HubUpdateEndpoint(uri, this, feature, text(parameters, "thing"));
    }

    // ---- option parsing: errors name the option and what to write

    private String text(Map<String, Object> parameters, String option) {
        if (parameters.get(option) instanceof java.util.Collection<?> values) {
            throw new IllegalArgumentException("hub: option " + option + " is given " + values.size() + " times ("
                    + values + "); give it once");
        }
        return blankToNull(getAndRemoveParameter(parameters, option, String.class));
    }

    private boolean bool(Map<String, Object> parameters, String endpoint, String option) {
        String value = text(parameters, option);
        if (value == null || "false".equalsIgnoreCase(value)) {
            return false;
        }
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        throw new IllegalArgumentException(endpoint + " " + option + "=" + value + ": write " + option + "=true or "
                + option + "=false");
    }

    private Double number(Map<String, Object> parameters, String endpoint, String option, String example) {
        String value = text(parameters, option);
        if (value == null) {
            return null;
        }
        try {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(endpoint + " " + option + "=" + value + " is not a number; write "
                + option + "=<" + example + ">");
    }

    private int integer(Map<String, Object> parameters, String endpoint, String option, int defaultValue, int min,
            int max) {
        String value = text(parameters, option);
        if (value == null) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(endpoint + " " + option + "=" + value + " must be a whole number from "
                + min + " to " + max);
    }

    private Duration duration(Map<String, Object> parameters, String endpoint, String option, String example) {
        String value = text(parameters, option);
        if (value == null) {
            return null;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(endpoint + " " + option + "=" + value + " is not an ISO-8601 duration; "
                    + "write e.g. " + option + "=" + example);
        }
    }

    private static JsonPointer pointer(String endpoint, String option, String value) {
        try {
            return JsonPointer.of(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(endpoint + " " + option + "=" + value + " is not a JSON pointer; write "
                    + "keys separated by /, e.g. /features/lamp/properties/dimLevel");
        }
    }

    private Endpoint alertEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String channelList = getAndRemoveParameter(parameters, "channels", String.class);
        List<String> channels = channelList == null ? List.of() : Arrays.stream(channelList.split(","))
                .map(String::trim).filter(c -> !c.isEmpty()).toList();
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("hub:alert needs channels=<name>[,<name>...]: the notification "
                    + "channels to send the alert on");
        }
        String severity = getAndRemoveParameter(parameters, "severity", String.class, "warning").trim();
        if (!SEVERITIES.contains(severity)) {
            throw new IllegalArgumentException("hub:alert severity=" + severity + " is not a severity; use one of "
                    + SEVERITIES);
        }
        String title = getAndRemoveParameter(parameters, "title", String.class);
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("hub:alert needs title=<one line for people>");
        }
        String window = getAndRemoveParameter(parameters, "dedupWindow", String.class, "PT5M").trim();
        Duration dedupWindow;
        try {
            dedupWindow = Duration.parse(window);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("hub:alert dedupWindow=" + window + " is not an ISO-8601 duration; "
                    + "write e.g. PT5M (5 minutes), PT30S, or PT0S for no de-duplication");
        }
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException("hub:alert dedupWindow=" + window + " is negative");
        }
        String dedupBy = text(parameters, "dedupBy");
        if (dedupBy != null && !HubAlertEndpoint.BY_THING.equals(dedupBy) && !HubAlertEndpoint.BY_ZONE.equals(dedupBy)) {
            throw new IllegalArgumentException("hub:alert dedupBy=" + dedupBy + ": write dedupBy=thing (one alert per "
                    + "thing) or dedupBy=zone (one alert per zone)");
        }
        return new HubAlertEndpoint(uri, this, channels, severity, title.trim(), dedupWindow, dedupBy);
    }

    private Endpoint commandEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String feature = getAndRemoveParameter(parameters, "feature", String.class);
        if (feature == null || feature.isBlank() || feature.contains("/")) {
            throw new IllegalArgumentException("hub:command needs feature=<feature id>, e.g. feature=lamp: the "
                    + "feature whose desired properties are set");
        }
        String name = "hub:command";
        String thing = text(parameters, "thing");
        Targets targets = targets(parameters, name, true, name + ": give at most one of nearThing=true, zone=<zone id> "
                + "and sameZone=true");
        String zone = targets.zone();
        boolean sameZone = targets.sameZone();
        boolean nearThing = targets.nearThing();
        Double radius = targets.radius();
        String namespace = text(parameters, "namespace");
        Duration revertAfter = duration(parameters, name, "revertAfter", "PT10M (10 minutes)");
        boolean byZone = targets.byZone();
        if (!nearThing && radius != null) {
            throw new IllegalArgumentException("hub:command: radius only applies with nearThing=true");
        }
        if (!nearThing && !byZone && namespace != null) {
            throw new IllegalArgumentException("hub:command: namespace only applies with nearThing=true, zone=<zone "
                    + "id> or sameZone=true");
        }
        if (byZone && thing != null) {
            throw new IllegalArgumentException("hub:command: thing= does not apply with zone= or sameZone=true, which "
                    + "command every thing with the feature in the zone");
        }
        if (byZone) {
            checkSearchableFeature(name, feature.trim());
        }
        if (revertAfter != null && (revertAfter.isNegative() || revertAfter.isZero()
                || revertAfter.compareTo(MAX_REVERT_AFTER) > 0)) {
            throw new IllegalArgumentException("hub:command revertAfter=" + revertAfter + " must be more than 0 and "
                    + "at most " + MAX_REVERT_AFTER + ", e.g. revertAfter=PT10M");
        }
        warnIfUnknownZone(name, targets);
        return new HubCommandEndpoint(uri, this, feature.trim(), thing, nearThing, targets.radiusMetres(),
                namespace, zone, sameZone, revertAfter);
    }

    private Endpoint confirmEndpoint(String uri, Map<String, Object> parameters) throws Exception {
        String action = getAndRemoveParameter(parameters, "action", String.class);
        if (action == null || action.isBlank() || action.length() > MAX_ACTION_CHARS) {
            throw new IllegalArgumentException("hub:confirm needs action=<what happens on confirmation, for people, "
                    + "at most " + MAX_ACTION_CHARS + " characters>, e.g. action=Send the police to the location");
        }
        String then = getAndRemoveParameter(parameters, "then", String.class);
        if (then == null || then.isBlank()) {
            throw new IllegalArgumentException("hub:confirm needs then=<endpoint>, e.g. then=direct:dispatch-police: "
                    + "the route a confirmed message continues in");
        }
        String text = getAndRemoveParameter(parameters, "timeout", String.class, "PT10M").trim();
        Duration timeout;
        try {
            timeout = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("hub:confirm timeout=" + text + " is not an ISO-8601 duration; write "
                    + "e.g. PT10M (10 minutes) or PT1H");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_CONFIRM_TIMEOUT) > 0) {
            throw new IllegalArgumentException("hub:confirm timeout=" + text + " must be more than 0 and at most "
                    + MAX_CONFIRM_TIMEOUT);
        }
        return new HubConfirmEndpoint(uri, this, action.trim(), then.trim(), timeout);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * The view of a twin event the consumers see; its zone (for the {@code zone} filter and the zone headers) is
     * looked up once, when first asked.
     */
    TwinEventView view(TwinEvent event) {
        return TwinEventView.of(event, zoneLookup);
    }

    /**
     * Hands the event to every started consumer whose filters match; never blocks. The candidates are looked up by
     * the event's thing id, namespace and features ({@link ConsumerIndex}), not by testing every route's filter.
     */
    void dispatch(TwinEvent event) {
        ConsumerIndex<HubConsumer> current = consumers;
        if (current.isEmpty()) {
            return;
        }
        current.forEachMatch(view(event), HubConsumer::submit);
    }

    int queueCapacity() {
        return queueCapacity;
    }

    long queueWaitNanos() {
        return queueWaitNanos;
    }

    void register(HubConsumer consumer) {
        synchronized (consumersLock) {
            consumers = consumers.with(consumer, consumer.filter());
        }
    }

    void unregister(HubConsumer consumer) {
        synchronized (consumersLock) {
            consumers = consumers.without(consumer);
        }
    }

    void undelivered(HubConsumer consumer, TwinEventView event, String reason) {
        undelivered.undelivered(consumer, event, reason);
    }

    void failed(HubConsumer consumer, TwinEventView event, Throwable failure) {
        undelivered.failed(consumer, event, failure);
    }
}
