package nl.lantaarn.routing.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import nl.lantaarn.search.api.ThingSearch;

/**
 * The zones of the {@code zones/} folder that contain a thing's location, asked of the {@link ThingSearch} and
 * remembered per thing while its location stays the same (most things never move), for at most
 * {@link #REMEMBER_NANOS}, so a changed zone file applies within seconds. Thread safe.
 */
final class ZoneLookup {

    /** How long an answer is reused: the zones folder is checked every second, zones change rarely. */
    static final long REMEMBER_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Bounds the memory; beyond it the answers are forgotten at once (and asked again). */
    static final int MAX_THINGS = 100_000;

    private record Answer(double longitude, double latitude, List<String> zones, long until) {
    }

    private final Supplier<ThingSearch> search;
    private final Map<String, Answer> byThing = new ConcurrentHashMap<>();

    ZoneLookup(Supplier<ThingSearch> search) {
        this.search = search;
    }

    /** The search service, or {@code null} while there is none. */
    ThingSearch search() {
        return search.get();
    }

    /** Ids of the zones containing the point, sorted; empty when none does or no search service runs. */
    List<String> zonesAt(String thingId, double longitude, double latitude) {
        long now = System.nanoTime();
        Answer known = byThing.get(thingId);
        if (known != null && known.longitude() == longitude && known.latitude() == latitude
                && now - known.until() < 0) {
            return known.zones();
        }
        ThingSearch current = search.get();
        if (current == null) {
            return List.of();
        }
        List<String> zones = current.zonesAt(longitude, latitude);
        if (byThing.size() >= MAX_THINGS) {
            byThing.clear();
        }
        byThing.put(thingId, new Answer(longitude, latitude, zones, now + REMEMBER_NANOS));
        return zones;
    }
}
