package nl.lantaarn.adapters.crowd.internal;

import java.util.Locale;
import java.util.Optional;

/** Whether people can keep 1.5 m apart: {@code safe}, {@code low} risk or {@code high} risk. */
enum DistancingRisk {

    SAFE, LOW, HIGH;

    static final String ACCEPTED = "safe, low, high";

    /** The value written to the twin: {@code safe}, {@code low} or {@code high}. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<DistancingRisk> parse(String text) {
        for (DistancingRisk risk : values()) {
            if (risk.value().equalsIgnoreCase(text.trim())) {
                return Optional.of(risk);
            }
        }
        return Optional.empty();
    }

    /** The level for a density in persons/m², given the densities from which the risk is low and high. */
    static DistancingRisk of(double density, double lowFrom, double highFrom) {
        if (density >= highFrom) {
            return HIGH;
        }
        return density >= lowFrom ? LOW : SAFE;
    }
}
