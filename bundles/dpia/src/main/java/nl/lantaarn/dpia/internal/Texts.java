package nl.lantaarn.dpia.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The fixed prose of the fact sheet, shared by both renderers so they say the same. */
final class Texts {

    static final String TITLE = "DPIA fact sheet";

    static final String NOT_A_DPIA = "This fact sheet lists what the hub's running configuration says about the "
            + "personal data it processes: per adapter and per route the data, categories, purposes, legal grounds, "
            + "recipients, retention and pseudonymisation. It is input for a data protection impact assessment (DPIA, "
            + "AVG art. 35), not the assessment itself: it does not weigh necessity and proportionality, the risks to "
            + "the people concerned or the measures against them, and it knows nothing that is not in the "
            + "configuration (contracts with vendors, processors, what receivers do with the data).";

    static final String DERIVED = "Recipients of routes are read from the route definitions (every endpoint a route "
            + "names); the adapters a route reads from are derived from its hub:events filters (domain, namespace, "
            + "feature) and the adapters' privacy manifests; filters on a thing, zone or definition are not decided, "
            + "so such a route is listed as reading every adapter its other filters allow.";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Texts() {
    }

    static String generated(FactSheet sheet) {
        return "Generated " + TIME.format(sheet.generatedAt()) + " from the running configuration: "
                + sheet.adapters().size() + " adapter type(s), " + sheet.routes().size() + " route(s).";
    }

    /** A fragment id from any text: lower-case letters, digits and dashes. */
    static String anchor(String text) {
        String cleaned = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return cleaned.replaceAll("^-+|-+$", "");
    }
}
