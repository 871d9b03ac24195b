package nl.lantaarn.adapters.citizenreports.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import nl.lantaarn.privacy.api.Pseudonyms;

/**
 * Turns a reporter's contact (e-mail address, else telephone number, else account id) into a pseudonym: HMAC-SHA256
 * over the normalised contact, the first 16 bytes in hex; by the hub's {@link Pseudonyms} service (purpose
 * {@value #PURPOSE}, keys rotated per period) when it runs, else with the adapter's own key file. The same reporter gets the same
 * pseudonym under the same key, so reports of one reporter can be grouped, but without the key the contact cannot be
 * recovered or tested. Thread safe: a new {@link Mac} per call (cheap next to the rest of a mapping).
 */
final class Pseudonymizer {

    static final String ALGORITHM = "HmacSHA256";
    static final int PSEUDONYM_BYTES = 16;

    /** The purpose id whose key the hub's {@link Pseudonyms} service uses for reporters. */
    static final String PURPOSE = "citizen-reports";

    private final SecretKeySpec key;
    private final Pseudonyms hub;

    /**
     * Pseudonyms by the hub's service: one key per purpose, rotated per period (by default daily), so reports of one
     * reporter can be linked within a period and not across periods.
     */
    Pseudonymizer(Pseudonyms hub) {
        this.key = null;
        this.hub = hub;
    }

    /** Pseudonyms under this adapter's own key file, without rotation: when the hub's service is not running. */
    Pseudonymizer(byte[] key) {
        this.hub = null;
        if (key.length < PseudonymKey.MIN_BYTES) {
            throw new IllegalArgumentException("pseudonym key must have at least " + PseudonymKey.MIN_BYTES
                    + " bytes, had " + key.length);
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** The pseudonym of the first contact given (e-mail, phone, account), or empty for an anonymous report. */
    Optional<String> pseudonym(Contact contact) {
        if (contact.email() != null) {
            return Optional.of(hash("email:" + normaliseEmail(contact.email())));
        }
        if (contact.phone() != null) {
            return Optional.of(hash("phone:" + normalisePhone(contact.phone(), contact.country())));
        }
        if (contact.account() != null) {
            return Optional.of(hash("account:" + contact.account().strip()));
        }
        return Optional.empty();
    }

    /** Lower case, surrounding white space removed: {@code " Melder@Example.com"} is {@code melder@example.com}. */
    static String normaliseEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Digits only, with the country code: separators are dropped, a leading {@code 00} becomes {@code +}, and in the
     * Netherlands ({@code country} {@code nl}) a national number's leading {@code 0} becomes {@code +31}, so that
     * {@code 06-12345678}, {@code +31 6 1234 5678} and {@code 0031612345678} are one reporter.
     */
    static String normalisePhone(String phone, String country) {
        StringBuilder digits = new StringBuilder(phone.length());
        String trimmed = phone.strip();
        if (trimmed.startsWith("+")) {
            digits.append('+');
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        String number = digits.toString();
        if (number.startsWith("00")) {
            return "+" + number.substring(2);
        }
        if ("nl".equals(country) && number.startsWith("0")) {
            return "+31" + number.substring(1);
        }
        return number;
    }

    private String hash(String normalised) {
        if (hub != null) {
            return hub.pseudonym(PURPOSE, normalised);
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, PSEUDONYM_BYTES);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // every Java runtime has HmacSHA256, and the key was checked in the constructor
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonymizer[" + ALGORITHM + (hub != null ? ", the hub's rotating keys" : ", own key") + "]";
    }
}
