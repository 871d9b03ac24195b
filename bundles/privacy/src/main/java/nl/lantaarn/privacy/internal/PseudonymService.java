package nl.lantaarn.privacy.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.privacy.api.Pseudonyms;
import nl.lantaarn.privacy.api.Purposes;
import nl.lantaarn.runtime.api.HubHome;

/**
 * The hub's {@link Pseudonyms}. Per purpose one master secret in the keystore; the key of a rotation period is derived
 * from it: {@code HMAC-SHA256(master, "lantaarn-pseudonym-period:" + periodSeconds + ":" + index)} with {@code index
 * = floor(epochSecond / periodSeconds)}. A pseudonym is the first 16 bytes of {@code HMAC-SHA256(periodKey, value)}
 * in hex.
 * <p>
 * Deriving (rather than storing a new random key per period) keeps the keystore small and lets the hub find the
 * pseudonyms of one identifier in earlier periods when a data subject asks (erasure, export); the price is that
 * whoever holds the master secret can link periods, so the keystore is guarded like the hub's other secrets. The
 * period comes from the clock at every call, so keys rotate without a restart; the derived key of the current period is
 * kept per purpose and replaced when the period changes.
 * <p>
 * Configuration PID {@value #PID}: {@code keystore}, {@code passwordFile}, {@code rotation} (ISO-8601, default
 * {@code P1D}) and {@code rotation.<purpose>}; a changed file applies at once (rotation) or for keys not yet loaded
 * (keystore, password file: restart the bundle to switch keystores).
 */
@Component(service = {Pseudonyms.class, HealthContributor.class}, configurationPid = PseudonymService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class PseudonymService implements Pseudonyms, HealthContributor {

    static final String PID = "nl.lantaarn.privacy.pseudonyms";
    static final String KEYSTORE = "keystore";
    static final String PASSWORD_FILE = "passwordFile";
    static final String ROTATION = "rotation";
    static final String DEFAULT_KEYSTORE = "etc/pseudonyms.p12";
    static final String DEFAULT_PASSWORD_FILE = "data/secrets/pseudonyms.password";
    static final Duration DEFAULT_ROTATION = Duration.ofDays(1);
    static final Duration MIN_ROTATION = Duration.ofMinutes(1);
    static final int PSEUDONYM_BYTES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(PseudonymService.class);
    private static final String ALGORITHM = "HmacSHA256";

    /** The derived key of one purpose's current period. */
    private record PeriodKey(long seconds, long index, SecretKeySpec key) {
    }

    private final Purposes purposes;
    private final PseudonymKeystore keystore;
    private final Clock clock;
    private final Map<String, PeriodKey> current = new ConcurrentHashMap<>();
    private volatile Duration defaultRotation = DEFAULT_ROTATION;
    private volatile Map<String, Duration> rotations = Map.of();
    private volatile List<String> problems = List.of();
    private volatile String failure;

    @Activate
    public PseudonymService(BundleContext context, @Reference Purposes purposes, Map<String, Object> properties) {
        this(purposes, keystore(HubHome.of(context), properties, System.getenv(PseudonymKeystore.PASSWORD_ENV)),
                Clock.systemUTC(), properties);
    }

    PseudonymService(Purposes purposes, PseudonymKeystore keystore, Clock clock, Map<String, Object> properties) {
        this.purposes = purposes;
        this.keystore = keystore;
        this.clock = clock;
        modified(properties);
    }

    static PseudonymKeystore keystore(Path home, Map<String, Object> properties, String passwordFromEnvironment) {
        return new PseudonymKeystore(home.resolve(text(properties, KEYSTORE, DEFAULT_KEYSTORE)),
                home.resolve(text(properties, PASSWORD_FILE, DEFAULT_PASSWORD_FILE)), passwordFromEnvironment);
    }

    private static String text(Map<String, Object> properties, String key, String fallback) {
        Object value = properties.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString().strip();
    }

    /** Takes new rotation periods; the next pseudonym of a purpose whose period changed uses the new one. */
    @Modified
    void modified(Map<String, Object> properties) {
        List<String> refused = new ArrayList<>();
        Duration fallback = DEFAULT_ROTATION;
        Map<String, Duration> perPurpose = new HashMap<>();
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            String key = property.getKey();
            if (key.equals(ROTATION)) {
                Duration parsed = duration(key, property.getValue(), refused);
                fallback = parsed == null ? fallback : parsed;
            } else if (key.startsWith(ROTATION + ".")) {
                String purpose = key.substring(ROTATION.length() + 1);
                Duration parsed = duration(key, property.getValue(), refused);
                if (parsed != null) {
                    perPurpose.put(purpose, parsed);
                }
            }
        }
        for (String problem : refused) {
            if (!problems.contains(problem)) {
                LOG.warn("Pseudonyms, etc/{}.cfg: {}", PID, problem);
            }
        }
        problems = List.copyOf(refused);
        defaultRotation = fallback;
        rotations = Map.copyOf(perPurpose);
    }

    private static Duration duration(String key, Object value, List<String> refused) {
        try {
            Duration parsed = Duration.parse(String.valueOf(value).strip());
            if (parsed.compareTo(MIN_ROTATION) < 0) {
                refused.add(key + " = " + value + " is shorter than " + MIN_ROTATION + "; the default is used");
                return null;
            }
            return parsed;
        } catch (DateTimeParseException e) {
            refused.add(key + " = " + value + " is not an ISO-8601 duration such as P1D or PT12H; the default is used");
            return null;
        }
    }

    @Override
    public String pseudonym(String purpose, String value) {
        return pseudonym(purpose, value, clock.instant());
    }

    @Override
    public String pseudonym(String purpose, String value, Instant at) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a pseudonym needs a value; it is empty");
        }
        Duration rotation = rotation(purpose);
        long seconds = rotation.getSeconds();
        long index = Math.floorDiv(at.getEpochSecond(), seconds);
        PeriodKey key = current.get(purpose);
        SecretKeySpec periodKey;
        if (key != null && key.seconds() == seconds && key.index() == index) {
            periodKey = key.key();
        } else {
            periodKey = derive(purpose, seconds, index);
            if (key == null || index >= key.index() || key.seconds() != seconds) {
                // keep the newest period: asking about an earlier one must not push the current key out
                current.put(purpose, new PeriodKey(seconds, index, periodKey));
            }
        }
        byte[] digest = mac(periodKey, value.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, PSEUDONYM_BYTES);
    }

    @Override
    public Duration rotation(String purpose) {
        if (purposes.description(purpose).isEmpty()) {
            throw new IllegalArgumentException("purpose '" + purpose + "' is not in the hub's vocabulary ("
                    + String.join(", ", purposes.all().keySet()) + "); add it to etc/nl.lantaarn.privacy.purposes.cfg "
                    + "or use one of these");
        }
        return rotations.getOrDefault(purpose, defaultRotation);
    }

    private SecretKeySpec derive(String purpose, long seconds, long index) {
        SecretKey master;
        try {
            master = keystore.master(purpose);
            failure = null;
        } catch (IllegalStateException e) {
            failure = e.getMessage();
            throw e;
        }
        byte[] bytes = mac(master, ("lantaarn-pseudonym-period:" + seconds + ":" + index)
                .getBytes(StandardCharsets.US_ASCII));
        return new SecretKeySpec(bytes, ALGORITHM);
    }

    private static byte[] mac(SecretKey key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // every Java runtime has HmacSHA256, and the keys are HmacSHA256 keys
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    @Override
    public String component() {
        return "pseudonyms";
    }

    @Override
    public ComponentHealth health() {
        String summary = "keystore " + keystore.file() + ", rotation " + defaultRotation
                + (rotations.isEmpty() ? "" : " (per purpose: " + rotations + ")");
        String broken = failure;
        if (broken != null) {
            return ComponentHealth.down(summary + "; " + broken);
        }
        return problems.isEmpty() ? ComponentHealth.up(summary)
                : ComponentHealth.degraded(summary + "; " + String.join("; ", problems));
    }

    @Override
    public String toString() {
        return "PseudonymService[" + keystore.file() + "]";
    }
}
