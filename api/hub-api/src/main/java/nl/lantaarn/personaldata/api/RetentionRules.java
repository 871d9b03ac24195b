package nl.lantaarn.personaldata.api;

import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How long data may be kept, from the privacy manifests of the adapters that wrote it and the operator's retention
 * per data category. Handed to {@link PersonalDataStore#expire} by the retention job; thread safe, and cheap enough
 * to ask once per stored item (answers are cached per run).
 */
@ProviderType
public interface RetentionRules {

    /**
     * The retention of one feature of a thing, from the privacy metadata an adapter wrote with it
     * ({@code /attributes/privacy/features/<feature>}): the shortest of the manifest's retention and the operator's
     * retention of each of its categories.
     *
     * @return empty when no adapter declared the feature (data written through the API): its store's own rules apply
     */
    Optional<Duration> feature(String thingId, String featureId);

    /**
     * The retention of data about a thing as a whole (an outbox entry of a twin event): the shortest retention of its
     * features, or {@link #fallback()} when none has privacy metadata.
     */
    Duration thing(String thingId);

    /**
     * The retention of data kept for a source: an adapter instance id (its type's manifest), a route id or a channel
     * ({@link #fallback()}).
     */
    Duration source(String source);

    /** The retention of data no manifest covers (the operator's {@code defaultRetention}). */
    Duration fallback();
}
