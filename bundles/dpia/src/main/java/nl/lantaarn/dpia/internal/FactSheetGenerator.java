package nl.lantaarn.dpia.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.dpia.internal.FactSheet.Fact;
import nl.lantaarn.dpia.internal.FactSheet.Sheet;
import nl.lantaarn.notify.api.ChannelStatus;
import nl.lantaarn.routing.api.RouteOutline;
import nl.lantaarn.routing.api.RouteStatus;

/**
 * Builds the fact sheet from a snapshot of the running configuration: the adapter types (their privacy manifests),
 * the adapter instances, the routes (metadata and outlines) and the notification channels. The one place that knows
 * what the fact sheet says; the API and {@code ./lantaarn dpia} both get their document from here. Pure: no I/O, no
 * services, so it is tested with plain values.
 */
final class FactSheetGenerator {

    /**
     * What the generator reads.
     *
     * @param types     the adapter types whose bundles are present
     * @param instances the configured adapter instances ({@code null}: the adapter runtime is not running)
     * @param routes    the routes' status ({@code null}: the routing component is not running)
     * @param outlines  what the routes read and send where
     * @param channels  the notification channels ({@code null}: the notification service is not running)
     */
    record Configuration(Collection<AdapterType> types, List<AdapterStatus> instances, List<RouteStatus> routes,
            List<RouteOutline> outlines, List<ChannelStatus> channels) {
    }

    static final String DATA = "Data (fields)";
    static final String FEATURES = "Features";
    static final String CATEGORIES = "Data categories";
    static final String PERSONAL = "Personal data";
    static final String PURPOSES = "Purposes";
    static final String LEGAL_GROUND = "Legal ground";
    static final String RECIPIENTS = "Recipients";
    static final String RETENTION = "Retention";
    static final String PSEUDONYMISATION = "Pseudonymisation";
    static final String INSTANCES = "Instances";
    static final String SOURCES = "Reads";
    static final String SOURCE_ADAPTERS = "Data from adapters";
    static final String OWNER = "Responsible";

    private FactSheetGenerator() {
    }

    static FactSheet generate(Configuration configuration, Instant now) {
        List<String> notes = new ArrayList<>();
        Map<String, AdapterType> types = new TreeMap<>();
        configuration.types().forEach(type -> types.put(type.id(), type));
        Map<String, List<AdapterStatus>> instancesByType = new TreeMap<>();
        if (configuration.instances() == null) {
            notes.add("The adapter runtime (nl.lantaarn.adapter.runtime) is not running: adapter instances are not "
                    + "listed.");
        } else {
            for (AdapterStatus instance : configuration.instances()) {
                instancesByType.computeIfAbsent(instance.type(), t -> new ArrayList<>()).add(instance);
            }
        }
        if (configuration.routes() == null) {
            notes.add("The routing component (nl.lantaarn.routing) is not running: routes are not listed.");
        }
        if (configuration.channels() == null) {
            notes.add("The notification service (nl.lantaarn.notify) is not running: the kinds of notification "
                    + "channels are not known.");
        }
        List<RouteOutline> outlines = configuration.outlines() == null ? List.of() : configuration.outlines();
        List<RouteStatus> routes = configuration.routes() == null ? List.of() : configuration.routes();

        List<Sheet> adapterSheets = new ArrayList<>();
        Set<String> typeIds = new TreeSet<>(types.keySet());
        typeIds.addAll(instancesByType.keySet());
        for (String typeId : typeIds) {
            adapterSheets.add(adapterSheet(typeId, types.get(typeId), instancesByType.getOrDefault(typeId, List.of()),
                    outlines, types.values()));
            if (!types.containsKey(typeId)) {
                notes.add("Adapter type " + typeId + " is configured but its bundle is not present: its privacy "
                        + "manifest is not known.");
            }
        }
        List<Sheet> routeSheets = new ArrayList<>();
        for (RouteStatus route : routes) {
            RouteOutline outline = outlines.stream().filter(o -> o.id().equals(route.id())).findFirst()
                    .orElse(null);
            routeSheets.add(routeSheet(route, outline, types.values(), configuration.channels()));
        }
        return new FactSheet(now, adapterSheets, routeSheets, notes);
    }

    private static Sheet adapterSheet(String typeId, AdapterType type, List<AdapterStatus> instances,
            List<RouteOutline> outlines, Collection<AdapterType> allTypes) {
        PrivacyManifest manifest = type != null ? type.privacy()
                : instances.stream().map(AdapterStatus::privacy).filter(p -> p != null).findFirst().orElse(null);
        List<Fact> facts = new ArrayList<>();
        String vendor = type != null ? type.vendor()
                : instances.stream().map(AdapterStatus::vendor).filter(v -> v != null).findFirst().orElse(null);
        facts.add(Fact.of("Vendor", vendor));
        Set<String> domains = type != null ? new TreeSet<>(type.domains()) : new TreeSet<>();
        facts.add(Fact.of("Domains", List.copyOf(domains), "not known (the adapter bundle is not present)"));
        facts.add(Fact.of(INSTANCES, instances.stream().map(FactSheetGenerator::instance).toList(),
                "none configured (etc/" + "nl.lantaarn.adapter." + typeId + "~<name>.cfg adds one)"));
        String unknown = "not known: the adapter bundle is not present, so its privacy manifest cannot be read";
        if (manifest == null) {
            for (String label : List.of(DATA, CATEGORIES, PERSONAL, PURPOSES, LEGAL_GROUND, RETENTION,
                    PSEUDONYMISATION)) {
                facts.add(Fact.of(label, List.of(), unknown));
            }
        } else {
            facts.add(Fact.of(DATA, manifest.fields(), "none declared"));
            facts.add(Fact.of(FEATURES, List.copyOf(features(manifest)), "none (attributes only)"));
            facts.add(Fact.of(CATEGORIES, List.copyOf(new TreeSet<>(manifest.dataCategories())), "none declared"));
            facts.add(Fact.of(PERSONAL, manifest.personalData()
                    ? "yes: the manifest declares personal data (AVG art. 4(1))"
                    : "no: the manifest declares no personal data"));
            facts.add(Fact.of(PURPOSES, List.of(manifest.purpose()), "not declared"));
            facts.add(Fact.of(LEGAL_GROUND, legalGround(manifest.legalGround().name())));
            facts.add(Fact.of(RETENTION, duration(manifest.retention())
                    + " (history of this data; ISO-8601 " + manifest.retention() + ")"));
            facts.add(pseudonymisation(manifest));
        }
        List<String> recipients = new ArrayList<>();
        recipients.add("the hub's twin store and history (kept as under Retention)");
        recipients.add("API clients, by role and access policy (policies/ folder; GET /api/v1/things and /api/2)");
        for (RouteOutline outline : outlines) {
            if (manifest != null && reads(outline, typeId, domains, features(manifest))) {
                recipients.add("route " + outline.id() + " (see its section)");
            }
        }
        facts.add(Fact.of(RECIPIENTS, recipients, "none"));
        String summary = type != null ? type.description()
                : "Configured, but its adapter bundle is not present in this hub.";
        return new Sheet("adapter-" + typeId, "Adapter " + typeId, summary, facts);
    }

    /**
     * Pseudonymisation as the manifest states it. The manifest has no such statement yet; when it gets one, read it
     * here.
     */
    private static Fact pseudonymisation(PrivacyManifest manifest) {
        return Fact.of(PSEUDONYMISATION, List.of(), manifest.personalData()
                ? "not stated by the manifest: check how identifiers in this data are pseudonymised"
                : "not stated by the manifest (no personal data declared)");
    }

    private static String instance(AdapterStatus status) {
        StringBuilder line = new StringBuilder(status.id()).append(": ")
                .append(status.state() == null ? "unknown state" : status.state().name());
        if (status.inbound() != null) {
            line.append(", receives over ").append(status.inbound());
        }
        return line.toString();
    }

    /** The features a manifest's fields name ({@code *}: any feature). */
    static Set<String> features(PrivacyManifest manifest) {
        Set<String> features = new TreeSet<>();
        for (String field : manifest.fields()) {
            String[] parts = field.split("/");
            if (parts.length > 1 && parts[1].equals("features")) {
                features.add(parts.length > 2 ? parts[2] : "*");
            }
        }
        return features;
    }

    /**
     * Whether a route may read this adapter's data: its {@code hub:events} filters do not exclude the adapter's
     * domains and features. Filters on a thing, zone or definition cannot be decided from the configuration, so such a
     * route counts as reading it (a fact sheet rather names a route too many than one too few).
     */
    static boolean reads(RouteOutline outline, String typeId, Set<String> domains, Set<String> features) {
        Endpoint from = Endpoint.parse(outline.from());
        if (!from.scheme().equals("hub") || !from.path().equals("events")) {
            return false;
        }
        String domain = from.parameter("domain");
        if (domain != null && !domains.contains(domain)) {
            return false;
        }
        String namespace = from.parameter("namespace");
        if (namespace != null) {
            String last = namespace.substring(namespace.lastIndexOf('.') + 1);
            if (!domains.contains(last)) {
                return false;
            }
        }
        String feature = from.parameter("feature");
        return feature == null || features.contains(feature) || features.contains("*");
    }

    private static Sheet routeSheet(RouteStatus route, RouteOutline outline, Collection<AdapterType> types,
            List<ChannelStatus> channels) {
        List<Fact> facts = new ArrayList<>();
        facts.add(Fact.of("Defined in", route.file()));
        facts.add(Fact.of("State", route.state()));
        facts.add(Fact.of(OWNER, route.owner()));
        List<AdapterType> sources = new ArrayList<>();
        if (outline != null) {
            facts.add(Fact.of(SOURCES, List.of(input(outline.from())), "not known"));
            for (AdapterType type : types) {
                if (reads(outline, type.id(), type.domains(), features(type.privacy()))) {
                    sources.add(type);
                }
            }
            sources.sort(java.util.Comparator.comparing(AdapterType::id));
        } else {
            facts.add(Fact.of(SOURCES, List.of(), "not known (the route's definition could not be read)"));
        }
        facts.add(Fact.of(SOURCE_ADAPTERS, sources.stream().map(t -> t.id() + " (see its section)").toList(),
                outline != null && Endpoint.parse(outline.from()).path().equals("events")
                        ? "none of the present adapter types" : "none directly (see Reads)"));
        Set<String> categories = new TreeSet<>();
        sources.forEach(t -> categories.addAll(t.privacy().dataCategories()));
        facts.add(Fact.of(CATEGORIES, List.copyOf(categories), "not known from the sources"));
        boolean personal = sources.stream().anyMatch(t -> t.privacy().personalData());
        facts.add(Fact.of(PERSONAL, sources.isEmpty() ? List.of()
                : List.of(personal ? "yes: a source adapter declares personal data ("
                        + String.join(", ", sources.stream().filter(t -> t.privacy().personalData())
                                .map(AdapterType::id).toList()) + ")"
                        : "no: none of its source adapters declares personal data"),
                "not known from the sources"));
        facts.add(Fact.of(PURPOSES, route.purpose()));
        facts.add(Fact.of(LEGAL_GROUND, route.legalBasis() == null ? null : legalGround(route.legalBasis())));
        facts.add(Fact.of(RECIPIENTS, outline == null ? List.of()
                : outline.to().stream().map(uri -> recipient(uri, channels)).toList(), "none named by the route"));
        String retention = outline == null ? null : outline.properties().get("retention");
        facts.add(Fact.of(RETENTION, retention == null ? List.of() : List.of(retention),
                "not declared: add routeProperties.retention to the route"));
        facts.add(Fact.of(PSEUDONYMISATION, List.of(), "not stated by the route"));
        if (outline != null) {
            Map<String, String> others = new TreeMap<>(outline.properties());
            others.keySet().removeAll(Set.of("purpose", "legalBasis", "owner", "retention"));
            others.forEach((key, value) -> facts.add(Fact.of("Route property " + key, value)));
        }
        return new Sheet("route-" + route.id(), "Route " + route.id(), route.description(), facts);
    }

    private static String input(String from) {
        Endpoint endpoint = Endpoint.parse(from);
        if (endpoint.scheme().equals("hub") && endpoint.path().equals("events")) {
            List<String> filters = new ArrayList<>();
            endpoint.parameters().forEach((key, value) -> filters.add(key + " " + value));
            return "changes of things in the twin (hub:events)"
                    + (filters.isEmpty() ? ", every thing" : " with " + String.join(", ", filters));
        }
        if (endpoint.scheme().equals("direct") || endpoint.scheme().equals("seda")) {
            return "messages other routes send to " + from;
        }
        return from;
    }

    /** One recipient, in words, with the endpoint as the route names it. */
    static String recipient(String uri, List<ChannelStatus> channels) {
        Endpoint endpoint = Endpoint.parse(uri);
        String scheme = endpoint.scheme();
        String what = switch (scheme) {
            case "mqtt" -> "MQTT topic " + endpoint.path() + " on the hub's broker: every client subscribed to it";
            case "hub" -> hubRecipient(endpoint, channels);
            case "direct", "seda" -> "route(s) consuming " + scheme + ":" + endpoint.path() + " in this hub";
            case "log" -> "the hub's log (logger " + endpoint.path() + ")";
            case "http", "https" -> "HTTP endpoint " + scheme + "://" + endpoint.path();
            default -> "endpoint of Camel component " + scheme;
        };
        return what + " [" + uri + "]";
    }

    private static String hubRecipient(Endpoint endpoint, List<ChannelStatus> channels) {
        return switch (endpoint.path()) {
            case "alert" -> {
                Set<String> names = new LinkedHashSet<>();
                String list = endpoint.parameter("channels");
                if (list != null) {
                    for (String name : list.split(",")) {
                        if (!name.isBlank()) {
                            names.add(name.strip());
                        }
                    }
                }
                List<String> described = names.stream().map(name -> channel(name, channels)).toList();
                yield "alert over notification channel(s) " + String.join(", ", described);
            }
            case "command" -> "commands to devices: desired properties of feature "
                    + endpoint.parameters().getOrDefault("feature", "?") + " of " + commandTargets(endpoint)
                    + ", sent by their adapters";
            case "update" -> "the hub's own records: reported properties of feature "
                    + endpoint.parameters().getOrDefault("feature", "?");
            case "confirm" -> "an operator, who confirms or rejects (GET /api/v1/routes/pending); on confirmation "
                    + endpoint.parameters().getOrDefault("then", "?");
            case "things", "value" -> "none: reads the twin to enrich the message";
            default -> "hub endpoint hub:" + endpoint.path();
        };
    }

    private static String channel(String name, List<ChannelStatus> channels) {
        if (channels == null) {
            return name + " (kind not known)";
        }
        return channels.stream().filter(c -> c.name().equals(name)).findFirst()
                .map(c -> name + " (" + c.kind() + ", etc/nl.lantaarn.notify." + c.kind() + "-" + name + ".cfg)")
                .orElse(name + " (not configured in this hub)");
    }

    private static String commandTargets(Endpoint endpoint) {
        if (endpoint.parameter("thing") != null) {
            return "thing " + endpoint.parameter("thing");
        }
        if (endpoint.parameter("zone") != null) {
            return "the things of zone " + endpoint.parameter("zone");
        }
        if ("true".equals(endpoint.parameter("nearThing"))) {
            return "the things within " + endpoint.parameters().getOrDefault("radius", "?")
                    + " m of the event's thing";
        }
        return "the event's thing";
    }

    static String legalGround(String name) {
        return switch (name) {
            case "CONSENT" -> "consent (AVG art. 6(1)(a))";
            case "CONTRACT" -> "contract (AVG art. 6(1)(b))";
            case "LEGAL_OBLIGATION" -> "legal obligation (AVG art. 6(1)(c))";
            case "VITAL_INTERESTS" -> "vital interests (AVG art. 6(1)(d))";
            case "PUBLIC_TASK" -> "public task (AVG art. 6(1)(e))";
            case "LEGITIMATE_INTERESTS" -> "legitimate interests (AVG art. 6(1)(f))";
            default -> name;
        };
    }

    static String duration(Duration duration) {
        if (duration.toDaysPart() > 0 && duration.toHoursPart() == 0 && duration.toMinutesPart() == 0
                && duration.toSecondsPart() == 0) {
            long days = duration.toDays();
            return days + (days == 1 ? " day" : " days");
        }
        if (duration.toHours() > 0 && duration.toMinutesPart() == 0 && duration.toSecondsPart() == 0) {
            long hours = duration.toHours();
            return hours + (hours == 1 ? " hour" : " hours");
        }
        return duration.toString();
    }
}
