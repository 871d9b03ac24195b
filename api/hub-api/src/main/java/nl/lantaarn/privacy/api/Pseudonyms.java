package nl.lantaarn.privacy.api;

import java.time.Duration;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keyed pseudonyms: HMAC-SHA256 of an identifier under a secret key of one purpose and one rotation period. Within a
 * period the same identifier always gets the same pseudonym (reports of one reporter, passages of one car can be
 * linked); in the next period it gets another one, and without the key no pseudonym can be traced back or tested
 * against a guessed identifier. Keys are the hub's (a keystore it keeps), never the caller's, and rotate on their own
 * without a restart.
 * <p>
 * Normalise the identifier before asking (trim, one case, one phone number format): pseudonyms compare bytes. Never
 * log or store the identifier itself.
 * <p>
 * Thread safe and cheap enough to call once per payload. Provided as an OSGi service by the hub's privacy bundle.
 */
@ProviderType
public interface Pseudonyms {

    /**
     * The pseudonym of {@code value} for {@code purpose} in the current rotation period: 32 lower-case hex digits
     * (the first 128 bits of the HMAC).
     *
     * @param purpose a purpose id of the hub's vocabulary ({@link Purposes}), e.g. {@code citizen-reports}
     * @param value   the identifier, normalised; not empty
     * @throws IllegalArgumentException when the purpose is not in the vocabulary or the value is empty; the message
     *                                  never contains the value
     * @throws IllegalStateException    when the purpose's key cannot be made or read (the keystore is not usable)
     */
    String pseudonym(String purpose, String value);

    /**
     * The pseudonym {@code value} had (or will have) for {@code purpose} in the rotation period that holds
     * {@code at}: for a data subject's request about data of earlier periods.
     *
     * @throws IllegalArgumentException as {@link #pseudonym(String, String)}
     * @throws IllegalStateException    as {@link #pseudonym(String, String)}
     */
    String pseudonym(String purpose, String value, Instant at);

    /**
     * How long one key of {@code purpose} is used: the same value gets the same pseudonym within a period of this
     * length (periods start at the Unix epoch, so daily periods start at 00:00 UTC).
     *
     * @throws IllegalArgumentException when the purpose is not in the vocabulary
     */
    Duration rotation(String purpose);
}
