package nl.lantaarn.adapter.admin;

import java.time.Instant;
import java.util.Set;

import nl.lantaarn.adapter.api.PrivacyManifest;

/**
 * Status and counters of one adapter instance, a snapshot. Counters count since the hub started.
 *
 * @param id                  the instance id: type id, plus {@code .name} unless the instance is {@code default}
 * @param type                the adapter type id
 * @param vendor              the vendor, or {@code null} while the adapter bundle is absent
 * @param domains             the domains of its things
 * @param bundle              symbolic name and version of the adapter bundle, {@code null} while absent
 * @param state               the state
 * @param reason              why the state is not RUNNING, else {@code null}
 * @param inbound             the inbound transport, e.g. {@code mqtt:v3/+/devices/+/up (qos 1)}
 * @param privacy             the privacy manifest, {@code null} while absent
 * @param received            payloads received
 * @param mapped              payloads mapped without rejection
 * @param rejected            payloads the adapter rejected
 * @param deadLettered        payloads kept as dead letters, for any reason (rejected, too large, inbox full, failed)
 * @param thingUpdates        thing updates applied to the twin
 * @param inboxSize           payloads waiting in the inbox
 * @param inboxCapacity       the inbox bound
 * @param meanMappingMicros   mean time of a map call, microseconds
 * @param maxMappingMicros    longest map call, microseconds
 * @param lastReceivedAt      when the last payload arrived, or {@code null}
 * @param undeclaredFields    fields of the adapter's thing updates that its privacy manifest does not declare, dropped
 *                            before storage (since 1.2)
 */
public record AdapterStatus(String id, String type, String vendor, Set<String> domains, String bundle,
        AdapterState state, String reason, String inbound, PrivacyManifest privacy, long received, long mapped,
        long rejected, long deadLettered, long thingUpdates, int inboxSize, int inboxCapacity,
        double meanMappingMicros, long maxMappingMicros, Instant lastReceivedAt, long undeclaredFields) {

    /** The status without the undeclared-fields counter (0), as before 1.2. */
    public AdapterStatus(String id, String type, String vendor, Set<String> domains, String bundle,
            AdapterState state, String reason, String inbound, PrivacyManifest privacy, long received, long mapped,
            long rejected, long deadLettered, long thingUpdates, int inboxSize, int inboxCapacity,
            double meanMappingMicros, long maxMappingMicros, Instant lastReceivedAt) {
        this(id, type, vendor, domains, bundle, state, reason, inbound, privacy, received, mapped, rejected,
                deadLettered, thingUpdates, inboxSize, inboxCapacity, meanMappingMicros, maxMappingMicros,
                lastReceivedAt, 0);
    }
}
