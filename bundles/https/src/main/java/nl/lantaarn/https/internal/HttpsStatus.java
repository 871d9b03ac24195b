package nl.lantaarn.https.internal;

/**
 * A service whose properties tell the rest of the hub how HTTPS is doing, without any API: {@value #STATE}
 * ({@code starting}, {@code listening} or {@code down}), {@value #PORT}, {@value #FINGERPRINT} (SHA-256 of the
 * certificate, once known) and {@value #REASON} (when down). The start-up report (bundle {@code nl.lantaarn.runtime})
 * finds it by this class's name and prints the port and the fingerprint. The object itself does nothing.
 */
public final class HttpsStatus {

    public static final String STATE = "lantaarn.https.state";
    public static final String PORT = "lantaarn.https.port";
    public static final String FINGERPRINT = "lantaarn.https.fingerprint";
    public static final String REASON = "lantaarn.https.reason";

    public static final String STARTING = "starting";
    public static final String LISTENING = "listening";
    public static final String DOWN = "down";
}
