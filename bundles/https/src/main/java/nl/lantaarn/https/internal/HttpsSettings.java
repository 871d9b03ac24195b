package nl.lantaarn.https.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * HTTPS settings after defaults, the environment and the home folder were applied. Immutable; holds no password, only
 * where it comes from.
 *
 * @param port          TCP port
 * @param portSource    where the port came from, for messages
 * @param keystore      the keystore file (absolute)
 * @param generated     whether the keystore is the hub's own self-signed one, made when missing
 * @param passwordFile  the file holding the keystore password, or {@code null} when the environment gives it
 * @param keyAlias      the key entry to use; empty: the first one
 */
record HttpsSettings(boolean enabled, String host, int port, String portSource, Path keystore, boolean generated,
        Path passwordFile, String keyAlias) {

    static final String PORT_ENV = "LANTAARN_HTTPS_PORT";
    static final String PASSWORD_ENV = "LANTAARN_HTTPS_KEYSTORE_PASSWORD";
    static final String CONFIG_FILE = "etc/" + HttpsConnector.PID + ".cfg";
    static final String GENERATED_KEYSTORE = "data/secrets/https.p12";
    static final String GENERATED_PASSWORD = "data/secrets/https.password";

    HttpsSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keyAlias, "keyAlias");
    }

    /**
     * Resolves the configuration.
     *
     * @throws IllegalArgumentException with a sentence naming the wrong value and the setting to change
     */
    static HttpsSettings resolve(HttpsConnector.Config config, Map<String, String> env, Path home) {
        Path absoluteHome = home.toAbsolutePath().normalize();
        int port = config.port();
        String portSource = "'port' in " + CONFIG_FILE;
        String fromEnv = env.get(PORT_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                port = Integer.parseInt(fromEnv.trim());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(PORT_ENV + "='" + fromEnv + "' is not a TCP port (1-65535)");
            }
            portSource = PORT_ENV;
        } else if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'port' " + port + " is not a TCP port (1-65535); fix it in "
                    + CONFIG_FILE);
        }
        String host = config.host().trim();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'host' is empty; set it in " + CONFIG_FILE
                    + " (0.0.0.0 listens on all interfaces)");
        }
        String keystoreText = config.keystore().trim();
        boolean generated = keystoreText.isEmpty();
        Path keystore = absoluteHome.resolve(generated ? GENERATED_KEYSTORE : keystoreText).normalize();
        String passwordText = config.keystorePasswordFile().trim();
        Path passwordFile;
        if (generated) {
            passwordFile = absoluteHome.resolve(passwordText.isEmpty() ? GENERATED_PASSWORD : passwordText).normalize();
        } else if (!passwordText.isEmpty()) {
            passwordFile = absoluteHome.resolve(passwordText).normalize();
        } else if (env.getOrDefault(PASSWORD_ENV, "").isEmpty()) {
            throw new IllegalArgumentException("'keystore' " + keystoreText + " has no password: set "
                    + "'keystorePasswordFile' in " + CONFIG_FILE + " (a file under data/secrets holding it) or the "
                    + "environment variable " + PASSWORD_ENV);
        } else {
            passwordFile = null;
        }
        return new HttpsSettings(config.enabled(), host, port, portSource, keystore, generated, passwordFile,
                config.keyAlias().trim());
    }

    /** The keystore password: the environment's when set (a configured keystore), else the file's first line. */
    char[] password(Map<String, String> env) throws IOException {
        String fromEnv = env.get(PASSWORD_ENV);
        if (!generated && fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        String text;
        try {
            text = Files.readString(passwordFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("the keystore password file " + passwordFile + " does not exist; fix "
                    + "'keystorePasswordFile' in " + CONFIG_FILE + " or set " + PASSWORD_ENV, e);
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip().toCharArray();
    }
}
