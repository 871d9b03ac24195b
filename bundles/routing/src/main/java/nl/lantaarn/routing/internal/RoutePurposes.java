package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditTrail;

/**
 * Purpose binding for routes: which adapter types a {@code hub:events} route can receive data of, whether that data is
 * personal and not for the route's {@code purposeId} (the function-creep guard at load, the check per event), and the
 * audit entries of refusals and deliveries of personal data.
 * <p>
 * A route's sources are the adapter types its filters leave possible: {@code domain}, the last segment of
 * {@code namespace} or of {@code thing}'s namespace must be one of the type's domains, and {@code feature} must be a
 * feature the type's manifest declares. A route without such filters can receive every type's data. An event's type is
 * its thing's {@code attributes/adapter} up to the first dot.
 * <p>
 * Thread safe; the per-event check is a map lookup.
 */
final class RoutePurposes {

    /** The route property with the route's purpose id. */
    static final String PURPOSE_ID = "purposeId";

    private static final Logger LOG = LoggerFactory.getLogger(RoutePurposes.class);
    private static final JsonPointer ADAPTER = JsonPointer.of("attributes/adapter");

    private final Map<AdapterFactory, AdapterType> factories = new ConcurrentHashMap<>();
    private volatile Map<String, AdapterType> types = Map.of();
    private volatile AuditTrail audit;
    /** Route and adapter type pairs whose refusal was audited since the route started: once each, not per event. */
    private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();

    void addFactory(AdapterFactory factory) {
        factories.put(factory, factory.type());
        rebuild();
    }

    void removeFactory(AdapterFactory factory) {
        factories.remove(factory);
        rebuild();
    }

    void setAudit(AuditTrail trail) {
        audit = trail;
    }

    void unsetAudit(AuditTrail trail) {
        if (audit == trail) {
            audit = null;
        }
    }

    private synchronized void rebuild() {
        Map<String, AdapterType> next = new HashMap<>();
        factories.values().forEach(type -> next.put(type.id(), type));
        types = Map.copyOf(next);
    }

    /**
     * The function-creep guard: why a route with these {@code hub:events} filters and purpose may not run, or empty.
     *
     * @param filter    the route's {@code hub:events} filters
     * @param purposeId the route's {@value #PURPOSE_ID}, or {@code null}
     */
    Optional<String> creep(String routeId, HubFilter filter, String purposeId) {
        List<String> refused = new ArrayList<>();
        for (AdapterType type : new java.util.TreeMap<>(types).values()) {
            PrivacyManifest manifest = type.privacy();
            if (!manifest.allows(purposeId) && possibleSource(filter, type)) {
                refused.add("adapter type '" + type.id() + "' (allowed purposes: "
                        + (manifest.purposes().isEmpty() ? "none" : String.join(", ",
                                new TreeSet<>(manifest.purposes()))) + ")");
            }
        }
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("route '" + routeId + "' can receive personal data of " + String.join(", ", refused)
                + " through hub:events (" + filter + "), but its " + PURPOSE_ID + " is "
                + (purposeId == null ? "not set" : "'" + purposeId + "'") + "; set routeProperties " + PURPOSE_ID
                + " to an allowed purpose, or narrow the hub:events filters (domain, namespace, feature) to data "
                + "that is not personal");
    }

    private static boolean possibleSource(HubFilter filter, AdapterType type) {
        for (String domain : domains(filter)) {
            if (!type.domains().contains(domain)) {
                return false;
            }
        }
        String feature = filter.feature();
        if (feature != null) {
            return type.privacy().fields().stream().anyMatch(field -> field.equals("/features")
                    || field.startsWith("/features/" + feature + "/") || field.equals("/features/" + feature)
                    || field.startsWith("/features/*"));
        }
        return true;
    }

    private static List<String> domains(HubFilter filter) {
        List<String> domains = new ArrayList<>(3);
        if (filter.domain() != null) {
            domains.add(filter.domain());
        }
        if (filter.namespace() != null) {
            domains.add(lastSegment(filter.namespace()));
        }
        if (filter.thing() != null && filter.thing().indexOf(':') > 0) {
            domains.add(lastSegment(filter.thing().substring(0, filter.thing().indexOf(':'))));
        }
        return domains;
    }

    private static String lastSegment(String namespace) {
        return namespace.substring(namespace.lastIndexOf('.') + 1);
    }

    /** The manifest of the thing's adapter type when it is known and personal, else {@code null}. */
    PrivacyManifest personal(JsonObject thing) {
        Map<String, AdapterType> current = types;
        if (current.isEmpty()) {
            return null;
        }
        Optional<JsonValue> adapter = thing.getValue(ADAPTER).filter(JsonValue::isString);
        if (adapter.isEmpty()) {
            return null;
        }
        String instance = adapter.get().asString();
        int dot = instance.indexOf('.');
        AdapterType type = current.get(dot < 0 ? instance : instance.substring(0, dot));
        return type == null || !type.privacy().personalData() ? null : type.privacy();
    }

    /**
     * Whether the route may not receive this thing's event: its data is personal and not for the route's purpose.
     * The first refusal per route and adapter type is logged and audited.
     */
    boolean refuses(String routeId, String purposeId, JsonObject thing) {
        PrivacyManifest manifest = personal(thing);
        if (manifest == null || manifest.allows(purposeId)) {
            return false;
        }
        String type = thing.getValue(ADAPTER).map(JsonValue::asString).orElse("");
        if (refusedOnce.add(routeId + "\n" + type)) {
            String allowed = String.join(", ", new TreeSet<>(manifest.purposes()));
            LOG.warn("Route {} does not receive the personal data of adapter {}: its purposeId {} is not one of the "
                    + "allowed purposes ({}); said once per route start", routeId, type, purposeId, allowed);
            AuditTrail trail = audit;
            if (trail != null) {
                trail.record(new AuditEntry(AuditKind.PURPOSE_REFUSED, "route:" + routeId,
                        purposeId == null ? "" : purposeId, "hub:events",
                        thing.getValue("thingId").map(JsonValue::asString).orElse(""), "refused",
                        "personal data of adapter " + type + " withheld from the route; allowed purposes: " + allowed
                                + " (audited once per route start)"));
            }
        }
        return true;
    }

    /** A route started (again): its refusals are audited anew. */
    void started(String routeId) {
        refusedOnce.removeIf(key -> key.startsWith(routeId + "\n"));
    }

    /** Records that a route handed personal data of {@code thingId} to {@code recipient}. */
    void delivered(String routeId, String purposeId, String recipient, String thingId) {
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record(new AuditEntry(AuditKind.PERSONAL_DATA_DELIVERY, "route:" + routeId,
                    purposeId == null ? "" : purposeId, recipient, thingId, "ok",
                    "personal data of the thing's adapter delivered by the route"));
        }
    }
}
