package nl.lantaarn.personaldata.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Retention and the rights of data subjects over every {@link PersonalDataStore} of the hub at once. Provided by the
 * hub's privacy component; thread safe (runs one at a time).
 */
@ProviderType
public interface PersonalDataRights {

    /** What one store did: its name, how many items it removed, and why it failed ({@code null} when it did not). */
    record StoreResult(String store, long count, String error) {
    }

    /** Runs the retention job now, as if it were {@code now}: the background job passes its clock's time. */
    List<StoreResult> expire(Instant now);

    /**
     * Erases everything linked to the subject in every store, and records an {@code ERASURE} entry in the audit trail
     * naming the subject (a thing id or a pseudonym, never an identity) and {@code actor}.
     */
    List<StoreResult> erase(DataSubject subject, String actor);

    /**
     * Everything kept about the subject, per store name, each item a JSON object as text; records an {@code EXPORT}
     * entry in the audit trail.
     */
    Map<String, List<String>> export(DataSubject subject, String actor);

    /** The names of the stores that take part now. */
    List<String> stores();
}
