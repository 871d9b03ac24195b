package nl.lantaarn.adapters.soundevents.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The acoustic events the adapter accepts; each becomes a feature of the same name on the sensor's thing. */
enum SoundEventType {

    AGGRESSION("aggression"),
    GUNSHOT("gunshot"),
    FIREWORKS("fireworks"),
    GLASS_BREAKING("glassBreaking");

    /** The accepted names, for rejection reasons: {@code aggression, gunshot, fireworks, glassBreaking}. */
    static final String ACCEPTED = Arrays.stream(values()).map(SoundEventType::feature)
            .collect(Collectors.joining(", "));

    private final String feature;

    SoundEventType(String feature) {
        this.feature = feature;
    }

    /** The feature id, also the event type's name in payloads. */
    String feature() {
        return feature;
    }

    /**
     * The type named {@code text}, ignoring case, spaces, '-' and '_' ({@code glass_breaking} and {@code GLASS-BREAKING}
     * name {@link #GLASS_BREAKING}).
     */
    static Optional<SoundEventType> parse(String text) {
        String key = normalise(text);
        for (SoundEventType type : values()) {
            if (normalise(type.feature).equals(key)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    private static String normalise(String text) {
        return text.replaceAll("[\\s_-]", "").toLowerCase(Locale.ROOT);
    }
}
