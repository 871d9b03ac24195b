package nl.lantaarn.search.internal;

import static nl.lantaarn.search.internal.TestThings.noise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.search.api.SearchQueryException;
import nl.lantaarn.search.api.ThingSearch;

/** The ThingSearch service over a real index and real zone files. */
class ThingSearchServiceTest {

    @TempDir
    Path folder;
    private ZoneRegistry zones;
    private ThingSearch search;
    private final ThingIndex index = new ThingIndex();

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(folder.resolve("stratumseind.geojson"), """
                {"type":"Feature","id":"stratumseind","properties":{"name":"Stratumseind"},
                 "geometry":{"type":"Polygon","coordinates":[[[5.4770,51.4410],[5.4805,51.4410],[5.4805,51.4428],
                   [5.4770,51.4428],[5.4770,51.4410]]]}}""");
        // overlaps the east half of stratumseind
        Files.writeString(folder.resolve("centrum.geojson"), """
                {"type":"Feature","id":"centrum","properties":{},
                 "geometry":{"type":"Polygon","coordinates":[[[5.4790,51.4400],[5.4900,51.4400],[5.4900,51.4500],
                   [5.4790,51.4500],[5.4790,51.4400]]]}}""");
        zones = new ZoneRegistry(folder, 60_000);
        index.upsert(noise("noise-1", 51.4418, 5.4787, 72.5, "stratumseind", 1));
        index.upsert(noise("noise-2", 51.4420, 5.4795, 65.0, "stratumseind", 1));
        index.upsert(noise("noise-3", 51.4510, 5.4787, 55.0, "woensel", 1));
        search = new ThingSearchService(new SearchEngine(index, zones), zones);
    }

    @AfterEach
    void close() {
        zones.close();
    }

    @Test
    void findsThingIdsByFilterZoneAndRadiusSortedById() {
        assertThat(search.thingIds(null, null, null, 10)).containsExactly("nl.eindhoven.safety:noise-1",
                "nl.eindhoven.safety:noise-2", "nl.eindhoven.safety:noise-3");
        assertThat(search.thingIds("gt(features/noise/properties/laeq,60)", null, "stratumseind", 10))
                .containsExactly("nl.eindhoven.safety:noise-1", "nl.eindhoven.safety:noise-2");
        assertThat(search.thingIds(null, null, "centrum", 10)).containsExactly("nl.eindhoven.safety:noise-2");
        // noise-2 is about 56 m east of noise-1
        assertThat(search.thingIds(null, new ThingSearch.Near(5.4787, 51.4418, 30), null, 10))
                .containsExactly("nl.eindhoven.safety:noise-1");
        assertThat(search.thingIds(null, new ThingSearch.Near(5.4787, 51.4418, 100), null, 10))
                .containsExactly("nl.eindhoven.safety:noise-1", "nl.eindhoven.safety:noise-2");
        assertThat(search.thingIds(null, null, null, 2)).containsExactly("nl.eindhoven.safety:noise-1",
                "nl.eindhoven.safety:noise-2");
    }

    @Test
    void zonesAtAPointAreSortedAndZonesHaveNames() {
        assertThat(search.zonesAt(5.4787, 51.4418)).containsExactly("stratumseind");
        assertThat(search.zonesAt(5.4795, 51.4420)).containsExactly("centrum", "stratumseind");
        assertThat(search.zonesAt(5.0, 52.0)).isEmpty();
        assertThat(search.zonesAt(Double.NaN, 52.0)).isEmpty();
        assertThat(search.zone("stratumseind")).contains(new ThingSearch.ZoneInfo("stratumseind", "Stratumseind"));
        assertThat(search.zone("centrum").orElseThrow().name()).isEqualTo("centrum");
        assertThat(search.zone("nowhere")).isEmpty();
    }

    @Test
    void zonesAtSeesAChangedZonesFolder() throws IOException {
        assertThat(search.zonesAt(5.0, 52.0)).isEmpty();
        Files.writeString(folder.resolve("far.geojson"), """
                {"type":"Feature","id":"far","properties":{},
                 "geometry":{"type":"Polygon","coordinates":[[[4.9,51.9],[5.1,51.9],[5.1,52.1],[4.9,52.1],[4.9,51.9]]]}}
                """);
        zones.reload();
        assertThat(search.zonesAt(5.0, 52.0)).containsExactly("far");
    }

    @Test
    void badQueriesNameWhatIsWrong() {
        assertThatThrownBy(() -> search.thingIds("gt(features/noise/properties/laeq,7O)", null, null, 10))
                .isInstanceOf(SearchQueryException.class).hasMessageContaining("filter is not valid RQL at position");
        assertThatThrownBy(() -> search.thingIds(null, null, "nowhere", 10))
                .isInstanceOf(SearchQueryException.class).hasMessageContaining("Zone 'nowhere' is not known")
                .hasMessageContaining("the known zones are").hasMessageContaining("stratumseind");
        assertThatThrownBy(() -> search.thingIds(null, null, "a,b", 10))
                .isInstanceOf(SearchQueryException.class).hasMessageContaining("zone must be one zone id");
        assertThatThrownBy(() -> search.thingIds(null, null, null, 0))
                .isInstanceOf(SearchQueryException.class).hasMessageContaining("limit must be from 1 to 10000");
        assertThatThrownBy(() -> search.thingIds(null, null, null, ThingSearch.MAX_LIMIT + 1))
                .isInstanceOf(SearchQueryException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> search.thingIds(null, new ThingSearch.Near(51.4, 95, 10), null, 10))
                .isInstanceOf(SearchQueryException.class).hasMessageContaining("latitude 95.0 -90..90");
        assertThatThrownBy(() -> search.thingIds(null, new ThingSearch.Near(5.4, 51.4, 0), null, 10))
                .isInstanceOf(SearchQueryException.class).hasMessageContaining("radius must be more than 0");
        assertThatThrownBy(() -> search.thingIds(null, new ThingSearch.Near(5.4, 51.4, Double.NaN), null, 10))
                .isInstanceOf(SearchQueryException.class).hasMessageContaining("radius");
    }
}
