package nl.lantaarn.search.internal;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.ditto.things.model.Thing;

import nl.lantaarn.twin.api.TwinJsonSource;

/**
 * Reaches the search engine of {@code nl.lantaarn.search} (package-private) from the benchmarks: this class lives in
 * the same package on the benchmarks' class path. Only for measurements outside the framework.
 */
public final class SearchAccess implements AutoCloseable {

    private final ZoneRegistry zones;
    private final SearchIndex index;
    private final SearchEngine engine;

    /** Indexes {@code things}; zones are read from {@code zonesFolder} (may be empty or missing). */
    public SearchAccess(List<Thing> things, Path zonesFolder) {
        zones = new ZoneRegistry(zonesFolder, 60_000);
        index = new SearchIndex(things, zones, 1024);
        engine = index.engine();
    }

    /** Indexes the things of {@code stored} from their JSON, as the hub does at start. */
    public SearchAccess(TwinJsonSource stored, Path zonesFolder) {
        zones = new ZoneRegistry(zonesFolder, 60_000);
        index = new SearchIndex(stored, zones, 1024);
        engine = index.engine();
    }

    /** A prepared query: RQL filter and sort (either may be null), near ({@code lat,lon,metres}) and zone id. */
    public Object request(String filter, String sort, String near, String zone) {
        SearchRequest request = SearchRequest.filter(filter);
        if (sort != null) {
            request = request.withSort(sort);
        }
        if (near != null) {
            request = request.withNear(near);
        }
        if (zone != null) {
            request = request.withZone(zone);
        }
        return request;
    }

    /** One page of 25 thing ids, as the search servlet asks for before writing the things. */
    public List<String> search(Object request) {
        return engine.search((SearchRequest) request).thingIds();
    }

    public int count(Object request) {
        return engine.count((SearchRequest) request);
    }

    @Override
    public void close() {
        index.close();
        zones.close();
    }
}
