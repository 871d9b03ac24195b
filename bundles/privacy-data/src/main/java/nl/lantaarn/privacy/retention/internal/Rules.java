package nl.lantaarn.privacy.retention.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.personaldata.api.RetentionRules;
import nl.lantaarn.twin.api.TwinService;

/**
 * The retention rules of one run: a manifest's retention, shortened by the operator's retention of any of its
 * categories ({@code retention.<category>}), never lengthened. Answers are cached for the run.
 */
final class Rules implements RetentionRules {

    private final TwinService twin;
    private final Map<String, Duration> categories;
    private final Duration fallback;
    private final Function<String, Optional<PrivacyManifest>> manifestOfSource;
    private final Map<String, Optional<Duration>> features = new ConcurrentHashMap<>();
    private final Map<String, Duration> things = new ConcurrentHashMap<>();
    private final Map<String, Duration> sources = new ConcurrentHashMap<>();

    /**
     * @param categories       the operator's retention per data category
     * @param fallback         the retention of data no manifest covers
     * @param manifestOfSource the manifest of an adapter instance id, empty for any other source
     */
    Rules(TwinService twin, Map<String, Duration> categories, Duration fallback,
            Function<String, Optional<PrivacyManifest>> manifestOfSource) {
        this.twin = twin;
        this.categories = Map.copyOf(categories);
        this.fallback = fallback;
        this.manifestOfSource = manifestOfSource;
    }

    /** The manifest's retention, or the shorter one of any of its categories. */
    Duration of(Duration declared, Collection<String> dataCategories) {
        Duration result = declared;
        for (String category : dataCategories) {
            Duration shorter = categories.get(category);
            if (shorter != null && shorter.compareTo(result) < 0) {
                result = shorter;
            }
        }
        return result;
    }

    Optional<Duration> of(FeatureMetadata metadata) {
        return Optional.of(of(metadata.retention(), metadata.categories()));
    }

    @Override
    public Optional<Duration> feature(String thingId, String featureId) {
        return features.computeIfAbsent(thingId + '\u0000' + featureId, key -> thing(thingId, featureId));
    }

    private Optional<Duration> thing(String thingId, String featureId) {
        Optional<Thing> thing = retrieve(thingId);
        return thing.map(FeatureMetadata::of).map(all -> all.get(featureId)).flatMap(this::of);
    }

    @Override
    public Duration thing(String thingId) {
        return things.computeIfAbsent(thingId, id -> retrieve(id).map(FeatureMetadata::of)
                .flatMap(all -> all.values().stream().map(m -> of(m.retention(), m.categories()))
                        .min(Duration::compareTo))
                .orElse(fallback));
    }

    @Override
    public Duration source(String source) {
        return sources.computeIfAbsent(source, s -> manifestOfSource.apply(s)
                .map(m -> of(m.retention(), m.dataCategories())).orElse(fallback));
    }

    @Override
    public Duration fallback() {
        return fallback;
    }

    private Optional<Thing> retrieve(String thingId) {
        try {
            return twin.retrieve(ThingId.of(thingId));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
