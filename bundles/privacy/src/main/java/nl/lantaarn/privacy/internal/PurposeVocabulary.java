package nl.lantaarn.privacy.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.privacy.api.Purposes;

/**
 * The vocabulary of purposes from {@code etc/nl.lantaarn.privacy.purposes.cfg}: every property {@code <id> =
 * <description>} is one purpose. Without the file (or with no purpose in it) the built-in vocabulary below applies. A
 * key that is not an id is left out with a WARN naming it, and health says so; the change of the file applies at once
 * (the component is modified, not restarted).
 */
@Component(service = {Purposes.class, HealthContributor.class}, configurationPid = PurposeVocabulary.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class PurposeVocabulary implements Purposes, HealthContributor {

    static final String PID = "nl.lantaarn.privacy.purposes";
    /** The form of a purpose id; the same as {@code PrivacyManifest}'s. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** What a hub knows without configuration: the purposes of the shipped adapters and routes. */
    static final Map<String, String> BUILT_IN = Map.of(
            "public-safety", "Public order and safety in public space: detect and answer incidents such as aggression, "
                    + "fireworks or gunshots (municipal public-order task).",
            "crowd-management", "Crowd management: keep crowds at events and busy places safe, with counts per zone, "
                    + "never identities.",
            "citizen-reports", "Handle residents' reports about the public space and tell the reporter what became of "
                    + "them.",
            "public-lighting", "Operate the public lighting: switch, dim and maintain street lights.",
            "environment", "Monitor the living environment: noise, air quality and weather for policy and nuisance "
                    + "handling.",
            "hub-operations", "Run the hub itself: monitoring, troubleshooting and maintenance by city IT.");

    private static final Logger LOG = LoggerFactory.getLogger(PurposeVocabulary.class);

    private volatile Map<String, String> purposes = Collections.unmodifiableMap(new TreeMap<>(BUILT_IN));
    private volatile List<String> problems = List.of();

    @Activate
    public PurposeVocabulary(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        Map<String, String> read = new TreeMap<>();
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            String key = property.getKey();
            if (isFrameworkProperty(key)) {
                continue;
            }
            String description = String.valueOf(property.getValue()).strip();
            if (!ID.matcher(key).matches()) {
                refused.add("'" + key + "' is not a purpose id (1-63 lower-case letters, digits and dashes, e.g. "
                        + "public-safety)");
            } else if (description.isEmpty()) {
                refused.add("purpose '" + key + "' has no description; write <id> = <what the purpose is>");
            } else {
                read.put(key, description);
            }
        }
        for (String problem : refused) {
            if (!problems.contains(problem)) {
                LOG.warn("Purposes in etc/{}.cfg: {}; that line is left out", PID, problem);
            }
        }
        problems = List.copyOf(refused);
        purposes = Collections.unmodifiableMap(read.isEmpty() ? new TreeMap<>(BUILT_IN) : read);
    }

    private static boolean isFrameworkProperty(String key) {
        // Declarative Services adds osgi.ds.* (e.g. osgi.ds.satisfying.condition.target) to every configuration
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.startsWith("objectClass");
    }

    @Override
    public Map<String, String> all() {
        return purposes;
    }

    @Override
    public Optional<String> description(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(purposes.get(id));
    }

    @Override
    public String component() {
        return "purposes";
    }

    @Override
    public ComponentHealth health() {
        String summary = purposes.size() + " purposes: " + String.join(", ", purposes.keySet());
        List<String> current = problems;
        return current.isEmpty() ? ComponentHealth.up(summary)
                : ComponentHealth.degraded(summary + "; left out: " + String.join("; ", current));
    }
}
