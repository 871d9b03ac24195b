package nl.lantaarn.personaldata.api;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A store of the hub that keeps data about things: registered as an OSGi service by the twin's privacy component,
 * the history, the dead letters and the outboxes, so that retention, erasure and export reach every copy. Methods are
 * called from the privacy component's own thread, never concurrently with each other; they may take long (they scan),
 * but must not stop the store's normal work meanwhile.
 */
@ConsumerType
public interface PersonalDataStore {

    /** Short name of the store in reports, e.g. {@code twin}, {@code history}, {@code dead-letters}, {@code outbox:routing}. */
    String name();

    /**
     * Removes what is past its retention at {@code now} (an injectable clock's time: tests pass a later one).
     *
     * @return how many items were removed (points, dead letters, entries, properties)
     */
    long expire(RetentionRules rules, Instant now);

    /**
     * Everything kept about the subject, each item a JSON object as text, for a data subject's access request.
     */
    List<String> export(DataSubject subject);

    /**
     * Removes everything kept about the subject, durably when this returns.
     *
     * @return how many items were removed
     */
    long erase(DataSubject subject);
}
