package nl.lantaarn.dpia.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The fact sheet as data, independent of how it is rendered: one {@link Sheet} per adapter type and per route, each a
 * list of {@link Fact}s. A new fact (say, the purposes a manifest allows) is one more {@code Fact} in
 * {@link FactSheetGenerator}; the renderers need no change.
 *
 * @param generatedAt when the facts were read
 * @param adapters    one sheet per adapter type, sorted by type id
 * @param routes      one sheet per route, sorted by route id
 * @param notes       what could not be read (a component that is not running, an adapter whose bundle is absent)
 */
record FactSheet(Instant generatedAt, List<Sheet> adapters, List<Sheet> routes, List<String> notes) {

    FactSheet {
        Objects.requireNonNull(generatedAt, "generatedAt");
        adapters = List.copyOf(adapters);
        routes = List.copyOf(routes);
        notes = List.copyOf(notes);
    }

    /**
     * One adapter type or route.
     *
     * @param anchor  a stable id for links, e.g. {@code adapter-ttn}, {@code route-noise-alerts}
     * @param title   e.g. {@code Adapter ttn}
     * @param summary one sentence for people: the description
     * @param facts   the facts, in reading order
     */
    record Sheet(String anchor, String title, String summary, List<Fact> facts) {
        Sheet {
            facts = List.copyOf(facts);
        }

        /** The fact with this label, for tests and summaries. */
        java.util.Optional<Fact> fact(String label) {
            return facts.stream().filter(f -> f.label().equals(label)).findFirst();
        }
    }

    /**
     * One fact: a label and its values (one line each). No values: the configuration does not say; {@code missing}
     * says so in words, e.g. "not declared: add routeProperties.retention".
     */
    record Fact(String label, List<String> values, String missing) {
        Fact {
            values = List.copyOf(values);
        }

        static Fact of(String label, List<String> values, String missing) {
            return new Fact(label, values, missing);
        }

        static Fact of(String label, String value) {
            return new Fact(label, value == null || value.isBlank() ? List.of() : List.of(value), "not stated");
        }
    }
}
