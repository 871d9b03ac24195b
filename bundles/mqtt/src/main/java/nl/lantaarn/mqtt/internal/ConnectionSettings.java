package nl.lantaarn.mqtt.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

import javax.net.ssl.TrustManagerFactory;

/**
 * Everything the connection needs to reach its broker. Immutable apart from the password, which {@link #forget()}
 * wipes when the connection closes. {@link #toString()} never shows credentials.
 */
final class ConnectionSettings {

    /** How the broker was chosen, for logs and health. */
    enum Mode {
        EMBEDDED, EXTERNAL
    }

    private final Mode mode;
    private final String host;
    private final int port;
    private final boolean tls;
    private final TrustManagerFactory trustManagers;
    private final String username;
    private final char[] password;
    private final String clientId;
    private final int mqttVersion;
    private final boolean cleanStart;
    private final long sessionExpirySeconds;
    private final int keepAliveSeconds;
    private final long reconnectInitialDelayMillis;
    private final long reconnectMaxDelaySeconds;
    private final int maxPendingPublishes;

    private ConnectionSettings(Builder b) {
        this.mode = Objects.requireNonNull(b.mode, "mode");
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = b.port;
        this.tls = b.tls;
        this.trustManagers = b.trustManagers;
        this.username = b.username == null ? "" : b.username;
        this.password = b.password == null ? new char[0] : b.password.clone();
        this.clientId = b.clientId == null || b.clientId.isBlank() ? randomClientId() : b.clientId.trim();
        this.mqttVersion = b.mqttVersion;
        this.cleanStart = b.cleanStart;
        this.sessionExpirySeconds = b.sessionExpirySeconds;
        this.keepAliveSeconds = b.keepAliveSeconds;
        this.reconnectInitialDelayMillis = b.reconnectInitialDelayMillis;
        this.reconnectMaxDelaySeconds = b.reconnectMaxDelaySeconds;
        this.maxPendingPublishes = b.maxPendingPublishes;
    }

    static Builder builder(Mode mode, String host, int port) {
        return new Builder(mode, host, port);
    }

    /** {@code lantaarn-hub-} and ten hex digits: 23 characters, the longest id every MQTT 3.1.1 broker accepts. */
    static String randomClientId() {
        return "lantaarn-hub-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    Mode mode() {
        return mode;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean tls() {
        return tls;
    }

    /** Trust managers for TLS; {@code null} means the JVM's default trust store. */
    TrustManagerFactory trustManagers() {
        return trustManagers;
    }

    String username() {
        return username;
    }

    /** The password as UTF-8 bytes for the CONNECT packet. */
    byte[] passwordBytes() {
        synchronized (password) {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
            return bytes;
        }
    }

    String clientId() {
        return clientId;
    }

    /** 5 or 3 (for 3.1.1). */
    int mqttVersion() {
        return mqttVersion;
    }

    boolean cleanStart() {
        return cleanStart;
    }

    long sessionExpirySeconds() {
        return sessionExpirySeconds;
    }

    int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    long reconnectInitialDelayMillis() {
        return reconnectInitialDelayMillis;
    }

    long reconnectMaxDelaySeconds() {
        return reconnectMaxDelaySeconds;
    }

    int maxPendingPublishes() {
        return maxPendingPublishes;
    }

    /** e.g. {@code mqtt://127.0.0.1:1883 (embedded)}; never holds credentials. */
    String description() {
        return (tls ? "mqtts://" : "mqtt://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port
                + " (" + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    void forget() {
        synchronized (password) {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public String toString() {
        return description() + " as " + (username.isEmpty() ? "anonymous" : username) + ", client id " + clientId
                + ", MQTT " + (mqttVersion == 5 ? "5" : "3.1.1");
    }

    /** Collects settings; defaults match the component's configuration. */
    static final class Builder {

        private final Mode mode;
        private final String host;
        private final int port;
        private boolean tls;
        private TrustManagerFactory trustManagers;
        private String username;
        private char[] password;
        private String clientId;
        private int mqttVersion = 5;
        private boolean cleanStart;
        private long sessionExpirySeconds = 3600;
        private int keepAliveSeconds = 60;
        private long reconnectInitialDelayMillis = 1000;
        private long reconnectMaxDelaySeconds = 30;
        private int maxPendingPublishes = 10_000;

        private Builder(Mode mode, String host, int port) {
            this.mode = mode;
            this.host = host;
            this.port = port;
        }

        Builder tls(boolean tls, TrustManagerFactory trustManagers) {
            this.tls = tls;
            this.trustManagers = trustManagers;
            return this;
        }

        Builder credentials(String username, char[] password) {
            this.username = username;
            this.password = password;
            return this;
        }

        Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        Builder mqttVersion(int mqttVersion) {
            if (mqttVersion != 3 && mqttVersion != 5) {
                throw new IllegalArgumentException("'mqttVersion' must be 5 or 3 (for 3.1.1), not " + mqttVersion);
            }
            this.mqttVersion = mqttVersion;
            return this;
        }

        Builder session(boolean cleanStart, long sessionExpirySeconds) {
            if (sessionExpirySeconds < 0 || sessionExpirySeconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("'sessionExpirySeconds' must be 0.." + 0xFFFF_FFFFL + ", not "
                        + sessionExpirySeconds);
            }
            this.cleanStart = cleanStart;
            this.sessionExpirySeconds = sessionExpirySeconds;
            return this;
        }

        Builder keepAliveSeconds(int keepAliveSeconds) {
            if (keepAliveSeconds < 0 || keepAliveSeconds > 65535) {
                throw new IllegalArgumentException("'keepAliveSeconds' must be 0..65535, not " + keepAliveSeconds);
            }
            this.keepAliveSeconds = keepAliveSeconds;
            return this;
        }

        Builder reconnect(long initialDelayMillis, long maxDelaySeconds) {
            if (initialDelayMillis < 1 || maxDelaySeconds < 1) {
                throw new IllegalArgumentException("'reconnectInitialDelayMillis' and 'reconnectMaxDelaySeconds'"
                        + " must be at least 1");
            }
            this.reconnectInitialDelayMillis = initialDelayMillis;
            this.reconnectMaxDelaySeconds = maxDelaySeconds;
            return this;
        }

        Builder maxPendingPublishes(int maxPendingPublishes) {
            if (maxPendingPublishes < 1) {
                throw new IllegalArgumentException("'maxPendingPublishes' must be at least 1, not "
                        + maxPendingPublishes);
            }
            this.maxPendingPublishes = maxPendingPublishes;
            return this;
        }

        ConnectionSettings build() {
            if (host.isBlank()) {
                throw new IllegalArgumentException("'host' is empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'port' must be 1..65535, not " + port);
            }
            return new ConnectionSettings(this);
        }
    }
}
