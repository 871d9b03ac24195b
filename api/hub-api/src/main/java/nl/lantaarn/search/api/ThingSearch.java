package nl.lantaarn.search.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Finds things and zones; thread safe, in memory, never blocks on I/O. */
@ProviderType
public interface ThingSearch {

    /** The most ids one call returns. */
    int MAX_LIMIT = 10_000;

    /**
     * Thing ids matching a Ditto RQL filter, sorted by thing id.
     *
     * @param rqlFilter a filter as in {@code GET /api/v1/search/things?filter=}, e.g.
     *                  {@code and(eq(attributes/zone,"stratumseind"),exists(features/lamp))}; {@code null} or blank
     *                  matches every thing
     * @param near      {@code null}, or only things within {@code near.radiusMetres()} of the point
     * @param zone      {@code null}, or only things whose location lies in this zone of the zones folder
     * @param limit     at most this many ids, 1 to {@link #MAX_LIMIT}
     * @throws SearchQueryException when the filter does not parse, the zone is unknown or a number is out of range;
     *                              the message names what is wrong
     */
    List<String> thingIds(String rqlFilter, Near near, String zone, int limit);

    /** The ids of the zones whose area contains the point (WGS84), sorted; empty when none does. */
    List<String> zonesAt(double longitude, double latitude);

    /** The zone with this id, if the zones folder has it. */
    Optional<ZoneInfo> zone(String zoneId);

    /**
     * A circle on the earth.
     *
     * @param longitude    WGS84 longitude, -180 to 180
     * @param latitude     WGS84 latitude, -90 to 90
     * @param radiusMetres more than 0
     */
    record Near(double longitude, double latitude, double radiusMetres) {
    }

    /**
     * One zone of the zones folder.
     *
     * @param id   the zone id (the file's feature id), e.g. {@code stratumseind}
     * @param name a name for people, or the id
     */
    record ZoneInfo(String id, String name) {
    }
}
