package nl.lantaarn.privacy.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master secrets of the pseudonyms, one per purpose, in a PKCS#12 keystore (entry {@code purpose-<id>}, 32
 * random bytes from {@link SecureRandom}, made the first time a purpose asks). The keystore's password comes from the
 * environment variable {@value #PASSWORD_ENV}, else from a password file, which is made with a random password when
 * neither exists. Keystore and password file are written atomically with owner-only permissions. Nothing here logs
 * key material or the password.
 */
final class PseudonymKeystore {

    static final String PASSWORD_ENV = "LANTAARN_PSEUDONYM_KEYSTORE_PASSWORD";
    static final String ALGORITHM = "HmacSHA256";
    static final int KEY_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(PseudonymKeystore.class);

    private final Path file;
    private final Path passwordFile;
    private final String passwordFromEnvironment;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SecretKey> cache = new ConcurrentHashMap<>();

    /**
     * @param passwordFromEnvironment the value of {@value #PASSWORD_ENV}, or {@code null}
     */
    PseudonymKeystore(Path file, Path passwordFile, String passwordFromEnvironment) {
        this.file = file;
        this.passwordFile = passwordFile;
        this.passwordFromEnvironment = passwordFromEnvironment == null || passwordFromEnvironment.isEmpty() ? null
                : passwordFromEnvironment;
    }

    Path file() {
        return file;
    }

    /**
     * The master secret of {@code purpose}, made and stored when the keystore has none.
     *
     * @throws IllegalStateException naming the file and what to do when it cannot be read or written; never with key
     *                               material
     */
    SecretKey master(String purpose) {
        SecretKey known = cache.get(purpose);
        return known != null ? known : load(purpose);
    }

    private synchronized SecretKey load(String purpose) {
        SecretKey known = cache.get(purpose);
        if (known != null) {
            return known;
        }
        char[] password = password();
        try {
            KeyStore store = read(password);
            String alias = alias(purpose);
            KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
            KeyStore.Entry entry = store.getEntry(alias, protection);
            SecretKey key;
            if (entry instanceof KeyStore.SecretKeyEntry secret) {
                key = new SecretKeySpec(secret.getSecretKey().getEncoded(), ALGORITHM);
            } else if (entry != null) {
                throw new IllegalStateException("the pseudonym keystore " + file + " holds an entry " + alias
                        + " that is not a secret key; remove that entry (pseudonyms of purpose " + purpose
                        + " then change)");
            } else {
                byte[] bytes = new byte[KEY_BYTES];
                random.nextBytes(bytes);
                key = new SecretKeySpec(bytes, ALGORITHM);
                Arrays.fill(bytes, (byte) 0);
                store.setEntry(alias, new KeyStore.SecretKeyEntry(key), protection);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                store.store(out, password);
                SecretFiles.write(file, out.toByteArray());
                LOG.info("Made a new pseudonym key for purpose {} in {} (owner-only); back the keystore up with the "
                        + "hub's other secrets: without it, pseudonyms cannot be made again", purpose, file);
            }
            cache.put(purpose, key);
            return key;
        } catch (IOException | GeneralSecurityException e) {
            // the message of a wrong password is "keystore password was incorrect": no secret in it
            throw new IllegalStateException("cannot use the pseudonym keystore " + file + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check its password ("
                    + PASSWORD_ENV + " or " + passwordFile + ") and that the hub may read and write the file", e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private KeyStore read(char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            if (SecretFiles.othersMayRead(file)) {
                LOG.warn("The pseudonym keystore {} can be read by other users; restrict it: chmod 600 {}", file, file);
            }
            store.load(new ByteArrayInputStream(Files.readAllBytes(file)), password);
        } else {
            store.load(null, password);
        }
        return store;
    }

    private char[] password() {
        if (passwordFromEnvironment != null) {
            return passwordFromEnvironment.toCharArray();
        }
        try {
            if (!Files.exists(passwordFile)) {
                if (Files.exists(file)) {
                    throw new IllegalStateException("the pseudonym keystore " + file + " exists but its password file "
                            + passwordFile + " does not; restore the password file or set " + PASSWORD_ENV);
                }
                byte[] bytes = new byte[24];
                random.nextBytes(bytes);
                SecretFiles.write(passwordFile, (Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
                Arrays.fill(bytes, (byte) 0);
                LOG.info("Made the password of the pseudonym keystore in {} (owner-only)", passwordFile);
            }
            String text = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new IllegalStateException("the password file " + passwordFile + " of the pseudonym keystore is "
                        + "empty; restore it or set " + PASSWORD_ENV);
            }
            return text.toCharArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or make the password file " + passwordFile + " of the "
                    + "pseudonym keystore (" + e.getClass().getSimpleName() + "); make its folder writable for the hub "
                    + "or set " + PASSWORD_ENV, e);
        }
    }

    static String alias(String purpose) {
        return "purpose-" + purpose;
    }
}
