package nl.lantaarn.adapters.ttn.internal;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.things.model.HubConventions;

/**
 * The thing ids of the devices heard from, so that an uplink does not validate its thing id again (a regular
 * expression per id). Bounded: beyond the limit it starts afresh. Not thread safe; the adapter's calls come one at a
 * time.
 */
final class ThingIds {

    private final String country;
    private final String municipality;
    private final int maxEntries;
    /** Per domain, per thing name. */
    private final Map<String, Map<String, ThingId>> byDomain = new HashMap<>();
    private int size;

    ThingIds(String country, String municipality, int maxDevices) {
        this.country = country;
        this.municipality = municipality;
        this.maxEntries = maxDevices;
    }

    /** The thing id of {@code name} in {@code domain}; the application and device name it in the message. */
    ThingId get(String domain, String name, String application, String device) throws PayloadRejectedException {
        Map<String, ThingId> ids = byDomain.get(domain);
        ThingId known = ids == null ? null : ids.get(name);
        if (known != null) {
            return known;
        }
        ThingId thingId;
        try {
            thingId = HubConventions.thingId(country, municipality, domain, name);
        } catch (IllegalArgumentException e) {
            throw new PayloadRejectedException("thing id of application '" + application + "' device '" + device
                    + "': " + e.getMessage(), e);
        }
        if (size >= maxEntries) {
            byDomain.clear(); // bounded: a sender making up devices cannot grow it
            size = 0;
        }
        byDomain.computeIfAbsent(domain, d -> new HashMap<>()).put(name, thingId);
        size++;
        return thingId;
    }
}
