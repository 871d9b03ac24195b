package nl.lantaarn.runtime.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one line the hub prints when it has started. Pure formatting, so that every variant is unit tested.
 *
 * @param elapsedMillis    JVM start to now
 * @param activeBundles    bundles (not fragments, not the system bundle) that are ACTIVE
 * @param totalBundles     bundles (not fragments, not the system bundle) installed
 * @param notActive        "bsn (STATE)" for each bundle that is not ACTIVE
 * @param failedComponents DS components that failed to activate or miss a mandatory service
 * @param httpPort         the port HTTP listens on, empty when the HTTP runtime is not up
 * @param httpInstalled    whether an HTTP runtime bundle is installed at all
 * @param mqtt             state of the embedded broker
 * @param https            state of HTTPS (bundle {@code nl.lantaarn.https})
 */
record ReadyLine(long elapsedMillis, int activeBundles, int totalBundles, List<String> notActive,
        List<String> failedComponents, OptionalInt httpPort, boolean httpInstalled, Mqtt mqtt, Https https) {

    /** Longest list of names printed; the rest is counted. */
    static final int MAX_NAMES = 5;

    /** State of the embedded MQTT broker as far as the hub can tell. */
    sealed interface Mqtt {
        /** The broker is listening on this port. */
        record Embedded(int port) implements Mqtt {
        }

        /** The broker bundle is installed but its broker is not listening (its own log line says why). */
        record Down() implements Mqtt {
        }

        /** The broker bundle runs with the broker switched off ({@code enabled=false}). */
        record Off() implements Mqtt {
        }

        /** No embedded broker bundle: the hub uses an external broker, if any. */
        record NotInstalled() implements Mqtt {
        }
    }

    /** State of HTTPS as far as the hub can tell. */
    sealed interface Https {
        /** Listening on this port, serving the certificate with this SHA-256 fingerprint. */
        record Listening(int port, String fingerprint) implements Https {
        }

        /** Configured, but not listening (its own log line says why). */
        record Down() implements Https {
        }

        /** Not installed, or switched off. */
        record Off() implements Https {
        }
    }

    ReadyLine(long elapsedMillis, int activeBundles, int totalBundles, List<String> notActive,
            List<String> failedComponents, OptionalInt httpPort, boolean httpInstalled, Mqtt mqtt) {
        this(elapsedMillis, activeBundles, totalBundles, notActive, failedComponents, httpPort, httpInstalled, mqtt,
                new Https.Off());
    }

    ReadyLine {
        notActive = List.copyOf(notActive);
        failedComponents = List.copyOf(failedComponents);
    }

    /** True when every bundle is active and no component failed. */
    boolean healthy() {
        return notActive.isEmpty() && failedComponents.isEmpty() && activeBundles == totalBundles;
    }

    String format() {
        StringBuilder line = new StringBuilder(160);
        String seconds = String.format(Locale.ROOT, "%.2f", elapsedMillis / 1000.0);
        if (healthy()) {
            line.append("Lantaarn ready in ").append(seconds).append(" s: ")
                    .append(activeBundles).append(" bundles active");
        } else {
            line.append("Lantaarn started with problems in ").append(seconds).append(" s: ")
                    .append(activeBundles).append(" of ").append(totalBundles).append(" bundles active");
            if (!notActive.isEmpty()) {
                line.append(" (not active: ").append(names(notActive)).append(')');
            }
            if (!failedComponents.isEmpty()) {
                line.append(", components not active: ").append(names(failedComponents));
            }
        }
        line.append(", ");
        if (httpPort.isPresent()) {
            line.append("HTTP http://localhost:").append(httpPort.getAsInt()).append("/api/v1/health");
        } else if (httpInstalled) {
            line.append("HTTP down, see log");
        } else {
            line.append("HTTP not installed");
        }
        if (https instanceof Https.Listening listening) {
            line.append(", HTTPS https://localhost:").append(listening.port()).append("/api/v1/health");
        } else if (https instanceof Https.Down) {
            line.append(", HTTPS down, see log");
        }
        line.append(", ");
        if (mqtt instanceof Mqtt.Embedded embedded) {
            line.append("MQTT port ").append(embedded.port()).append(" (embedded)");
        } else if (mqtt instanceof Mqtt.Down) {
            line.append("MQTT broker down, see log");
        } else if (mqtt instanceof Mqtt.Off) {
            line.append("MQTT embedded broker off");
        } else {
            line.append("MQTT no embedded broker");
        }
        return line.toString();
    }

    /** The line printed after the ready line, so that clients can trust the certificate by it; empty without HTTPS. */
    Optional<String> fingerprintLine() {
        return https instanceof Https.Listening listening
                ? Optional.of("HTTPS certificate SHA-256 fingerprint " + listening.fingerprint()) : Optional.empty();
    }

    private static String names(List<String> names) {
        if (names.size() <= MAX_NAMES) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, MAX_NAMES)) + " and " + (names.size() - MAX_NAMES) + " more";
    }
}
