package nl.lantaarn.search.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinService;

/**
 * For the routing tests: the search bundle's real {@link ThingSearchService} (engine, RQL parser, zone files), over an
 * index built from the twin's things at every call, so a test never waits for the index to catch up. Lives in the
 * search bundle's package (on the test class path only) to reach its package-private classes.
 */
public final class SearchOverTwin implements ThingSearch, AutoCloseable {

    private final TwinService twin;
    private final ZoneRegistry zones;
    private final ThingSearch zonesOnly;

    /** Reads the zone files of the folder now (and then hourly). */
    public SearchOverTwin(TwinService twin, Path zonesFolder) {
        this.twin = twin;
        this.zones = new ZoneRegistry(zonesFolder, 3_600_000);
        this.zonesOnly = new ThingSearchService(new SearchEngine(new ThingIndex(), zones), zones);
    }

    private ThingSearch current() {
        ThingIndex index = new ThingIndex();
        for (Thing thing : twin.list()) {
            index.upsert(thing);
        }
        return new ThingSearchService(new SearchEngine(index, zones), zones);
    }

    @Override
    public List<String> thingIds(String rqlFilter, Near near, String zone, int limit) {
        return current().thingIds(rqlFilter, near, zone, limit);
    }

    @Override
    public List<String> zonesAt(double longitude, double latitude) {
        return zonesOnly.zonesAt(longitude, latitude);
    }

    @Override
    public Optional<ZoneInfo> zone(String zoneId) {
        return zonesOnly.zone(zoneId);
    }

    @Override
    public void close() {
        zones.close();
    }
}
