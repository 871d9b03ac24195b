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

    HubFilter(String namespace, String thing, String domain, String feature, String definition) {
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
        return (feature == null && definition == null) || view.touches(feature, definition);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HubFilter f && Objects.equals(namespace, f.namespace) && Objects.equals(thing, f.thing)
                && Objects.equals(domain, f.domain) && Objects.equals(feature, f.feature)
                && Objects.equals(definition, f.definition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, thing, domain, feature, definition);
    }

    @Override
    public String toString() {
        return "namespace=" + namespace + " thing=" + thing + " domain=" + domain + " feature=" + feature
                + " definition=" + definition;
    }
}
