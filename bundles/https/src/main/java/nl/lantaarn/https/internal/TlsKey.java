package nl.lantaarn.https.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The key and certificate HTTPS serves: a loaded keystore, the alias of its key entry and that entry's certificate.
 * Loading checks everything an operator can get wrong (no file, wrong password, no key entry, unknown alias), each
 * with its own message, before Jetty ever sees the keystore.
 */
record TlsKey(KeyStore keyStore, String alias, X509Certificate certificate) {

    /**
     * @param alias the key entry to use; empty: the first key entry
     * @throws IOException naming the problem and the setting to change
     */
    static TlsKey load(Path file, char[] password, String alias) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("keystore " + file + " does not exist; fix 'keystore' in " + HttpsSettings.CONFIG_FILE);
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(file.toFile(), password);
        } catch (IOException e) {
            // PKCS#12 and JKS both report a wrong password as an IOException caused by an UnrecoverableKeyException
            throw new IOException("keystore " + file + " cannot be opened with the configured password, or is not a "
                    + "PKCS#12 or JKS keystore (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("keystore " + file + " cannot be read: " + e.getMessage(), e);
        }
        try {
            String chosen = alias;
            if (chosen.isEmpty()) {
                chosen = Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).sorted().findFirst()
                        .orElseThrow(() -> new IOException("keystore " + file + " holds no private key with a "
                                + "certificate"));
            } else if (!store.containsAlias(chosen) || !store.isKeyEntry(chosen)) {
                throw new IOException("keystore " + file + " has no key entry '" + chosen + "'; its entries are "
                        + Collections.list(store.aliases()) + " (fix 'keyAlias' in " + HttpsSettings.CONFIG_FILE + ")");
            }
            Certificate certificate = store.getCertificate(chosen);
            if (!(certificate instanceof X509Certificate x509)) {
                throw new IOException("key entry '" + chosen + "' of " + file + " has no X.509 certificate");
            }
            return new TlsKey(store, chosen, x509);
        } catch (GeneralSecurityException e) {
            throw new IOException("keystore " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Whether the certificate is no longer valid at {@code now}. */
    boolean expiredAt(Instant now) {
        return certificate.getNotAfter().toInstant().isBefore(now);
    }

    /** SHA-256 of the certificate, as {@code keytool -list} and {@code openssl x509 -fingerprint} print it. */
    String fingerprint() {
        return fingerprint(certificate);
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot take the SHA-256 of a certificate", e);
        }
    }

    /** A fingerprint in any common spelling (colons or not, any case), for comparisons. */
    static String normalise(String fingerprint) {
        return fingerprint.replace(":", "").trim().toUpperCase(Locale.ROOT);
    }
}
