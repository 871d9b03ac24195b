package nl.lantaarn.routing.internal;

import java.util.Objects;

/**
 * The filters of one {@code hub:events} endpoint; every filter that is set must match. Immutable.
 */
final class HubFilter {

    private final String namespace;
    private final String thing;
    private final String domain;
    private final String feature;
    private final String definition;
    private final String zone;

    HubFilter(String namespace, String thing, String domain, String feature, String definition) {
        this(namespace, thing, domain, feature, definition, null);
    }

    /**
     * @param zone a zone id: {@code attributes/zone} names it, or the location lies in that zone of the zones folder
     */
    HubFilter(String namespace, String thing, String domain, String feature, String definition, String zone) {
        this.zone = blankToNull(zone);
        this.namespace = blankToNull(namespace);
        this.thing = blankToNull(thing);
        this.domain = blankToNull(domain);
        this.feature = blankToNull(feature);
        this.definition = blankToNull(definition);
    }

    boolean matches(TwinEventView view) {
        if (namespace != null && !namespace.equals(view.namespace())) {
            return false;
        }
        if (thing != null && !thing.equals(view.thingId())) {
            return false;
        }
        if (domain != null && !domain.equals(view.domain())) {
            return false;
        }
        if (feature != null || definition != null) {
            if (!view.touches(feature, definition)) {
                return false;
            }
        }
        // last: the only filter that may need a geometry test
        return zone == null || view.inZone(zone);
    }

    /** The zone filter, or {@code null}. */
    String zone() {
        return zone;
    }

    /** The thing filter, or {@code null}. */
    String thing() {
        return thing;
    }

    /** The namespace filter, or {@code null}. */
    String namespace() {
        return namespace;
    }

    /** The domain filter, or {@code null}. */
    String domain() {
        return domain;
    }

    /** The feature filter, or {@code null}. */
    String feature() {
        return feature;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HubFilter f && Objects.equals(namespace, f.namespace) && Objects.equals(thing, f.thing)
                && Objects.equals(domain, f.domain) && Objects.equals(feature, f.feature)
                && Objects.equals(definition, f.definition) && Objects.equals(zone, f.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, thing, domain, feature, definition, zone);
    }

    @Override
    public String toString() {
        return "namespace=" + namespace + " thing=" + thing + " domain=" + domain + " feature=" + feature
                + " definition=" + definition + " zone=" + zone;
    }
}
