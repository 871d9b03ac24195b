package nl.lantaarn.adapters.citizenreports.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;

import nl.lantaarn.adapter.api.AdapterConfigurationException;

/**
 * The running citizen-reports instances of this bundle, so that the Open311 servlet finds the instance of a
 * {@code jurisdiction_id} (or the only one). The factory adds an instance when the hub creates it and the instance
 * removes itself when the hub closes it. Thread safe.
 */
@Component(service = ReportInstances.class)
public final class ReportInstances {

    private final Map<String, CitizenReportsAdapter> byInstanceId = new LinkedHashMap<>();

    /**
     * @throws AdapterConfigurationException naming {@code jurisdictionId} when another instance already answers to it
     */
    synchronized void add(CitizenReportsAdapter adapter) throws AdapterConfigurationException {
        CitizenReportsConfig config = adapter.config();
        for (CitizenReportsAdapter other : byInstanceId.values()) {
            if (!other.config().instanceId().equals(config.instanceId())
                    && other.config().jurisdictionId().equals(config.jurisdictionId())) {
                throw new AdapterConfigurationException(CitizenReportsConfig.JURISDICTION_ID, "'"
                        + config.jurisdictionId() + "' is already the jurisdiction of instance "
                        + other.config().instanceId() + "; give each instance its own jurisdictionId");
            }
        }
        byInstanceId.put(config.instanceId(), adapter);
    }

    /** Removes the instance, unless a newer adapter of the same instance id has replaced it meanwhile. */
    synchronized void remove(CitizenReportsAdapter adapter) {
        byInstanceId.remove(adapter.config().instanceId(), adapter);
    }

    /** The instance answering to {@code jurisdictionId}. */
    synchronized Optional<CitizenReportsAdapter> byJurisdiction(String jurisdictionId) {
        return byInstanceId.values().stream()
                .filter(adapter -> adapter.config().jurisdictionId().equals(jurisdictionId))
                .findFirst();
    }

    /** Every running instance, by jurisdiction id. */
    synchronized List<CitizenReportsAdapter> all() {
        List<CitizenReportsAdapter> all = new ArrayList<>(byInstanceId.values());
        all.sort(Comparator.comparing(adapter -> adapter.config().jurisdictionId()));
        return all;
    }
}
