package nl.lantaarn.privacy.api;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The hub's vocabulary of purposes (purpose limitation, AVG article 5(1)(b)): short ids such as
 * {@code public-safety} or {@code crowd-management}, each with a description for people. Privacy manifests
 * ({@code PrivacyManifest.purposes()}), API clients and routes name purposes by these ids. The operator keeps the
 * vocabulary in {@code etc/nl.lantaarn.privacy.purposes.cfg}; changes apply while the hub runs.
 * <p>
 * Thread safe. Provided as an OSGi service by the hub's privacy bundle.
 */
@ProviderType
public interface Purposes {

    /** Every purpose: id to description, sorted by id. */
    Map<String, String> all();

    /** The description of a purpose id, or empty when the vocabulary has no such id. */
    Optional<String> description(String id);
}
