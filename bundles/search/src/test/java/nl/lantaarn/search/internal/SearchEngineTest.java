package nl.lantaarn.search.internal;

import static nl.lantaarn.search.internal.TestThings.STRATUMSEIND_LAT;
import static nl.lantaarn.search.internal.TestThings.STRATUMSEIND_LON;
import static nl.lantaarn.search.internal.TestThings.noise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation, sorting, paging and geo over a small index built from fixtures. */
class SearchEngineTest {

    @TempDir
    static Path zonesFolder;
    private static ZoneRegistry zones;
    private static SearchEngine engine;
    private static final ThingIndex INDEX = new ThingIndex();

    @BeforeAll
    static void index() throws IOException {
        Files.writeString(zonesFolder.resolve("stratumseind.geojson"), """
                {"type":"Feature","id":"stratumseind","properties":{"name":"Stratumseind"},
                 "geometry":{"type":"Polygon","coordinates":[[[5.4770,51.4410],[5.4805,51.4410],[5.4805,51.4428],
                   [5.4770,51.4428],[5.4770,51.4410]]]}}""");
        zones = new ZoneRegistry(zonesFolder, 60_000);
        // noise-1..3 in Stratumseind, noise-4 about 1 km north, noise-5 in Vitoria (FIWARE fixture), noise-6 without
        // location but tagged with the zone, the Ditto example without hub conventions
        INDEX.upsert(noise("noise-1", 51.4418, 5.4787, 72.5, "stratumseind", 3));
        INDEX.upsert(noise("noise-2", 51.4420, 5.4790, 65.0, "stratumseind", 1));
        INDEX.upsert(noise("noise-3", 51.4415, 5.4780, 80.1, "stratumseind", 7));
        INDEX.upsert(noise("noise-4", 51.4510, 5.4787, 55.0, "woensel", 2));
        INDEX.upsert(TestThings.fromNoiseLevelObserved("noise-5"));
        INDEX.upsert(TestThings.thing("""
                {"thingId":"nl.eindhoven.safety:noise-6","attributes":{"zone":"stratumseind"},
                 "features":{"noise":{"properties":{"laeq":70}}}}""", 1));
        INDEX.upsert(TestThings.thing(TestThings.fixture("thing-v2-example.json"), 4));
        engine = new SearchEngine(INDEX, zones);
    }

    @AfterAll
    static void close() {
        zones.close();
    }

    private static List<String> ids(SearchRequest request) {
        return engine.search(request).thingIds().stream().map(id -> id.substring(id.indexOf(':') + 1)).toList();
    }

    private static List<String> ids(String filter) {
        return ids(SearchRequest.filter(filter));
    }

    @Test
    void comparisons() {
        assertThat(ids("eq(thingId,\"nl.eindhoven.safety:noise-2\")")).containsExactly("noise-2");
        assertThat(ids("gt(features/noise/properties/laeq,70)")).containsExactly("noise-1", "noise-3");
        assertThat(ids("ge(features/noise/properties/laeq,70)")).containsExactly("noise-1", "noise-3", "noise-6");
        assertThat(ids("lt(features/noise/properties/laeq,65)")).containsExactly("noise-4");
        assertThat(ids("le(features/noise/properties/laeq,65)")).containsExactly("noise-2", "noise-4");
        // the FIWARE example: LAeq 67.8
        assertThat(ids("eq(features/noise/properties/laeq,67.8)")).containsExactly("noise-5");
        // a whole number equals the same double
        assertThat(ids("eq(features/noise/properties/laeq,70.0)")).containsExactly("noise-6");
        assertThat(ids("eq(attributes/someAttr,32)")).containsExactly("theName");
        assertThat(ids("eq(attributes/manufacturer,\"ACME corp\")")).containsExactly("theName");
        assertThat(ids("eq(features/heating-no1/properties/connected,true)")).containsExactly("theName");
        assertThat(ids("eq(features/heating-no1/desiredProperties/connected,false)")).containsExactly("theName");
        // strings order ordinally: ISO timestamps by time
        assertThat(ids("gt(features/noise/properties/dateObservedTo,\"2016-12-28T11:30:00Z\")"))
                .containsExactly("noise-5");
        // kinds never mix
        assertThat(ids("eq(features/noise/properties/laeq,\"72.5\")")).isEmpty();
        assertThat(ids("gt(attributes/zone,1)")).isEmpty();
        // no thing has the path
        assertThat(ids("eq(attributes/nothing,1)")).isEmpty();
    }

    @Test
    void neInLikeExistsAndLogic() {
        // ne also matches things without the property, like not(eq(...))
        assertThat(ids("ne(attributes/zone,\"stratumseind\")")).containsExactly("noise-5", "noise-4", "theName");
        assertThat(ids("in(attributes/zone,\"woensel\",\"nowhere\")")).containsExactly("noise-4");
        assertThat(ids("in(thingId,\"nl.eindhoven.safety:noise-1\",\"the.namespace:theName\",\"x:y\")"))
                .containsExactly("noise-1", "theName");
        assertThat(ids("like(thingId,\"nl.eindhoven.*\")")).containsExactly("noise-1", "noise-2", "noise-3",
                "noise-4", "noise-6");
        assertThat(ids("like(thingId,\"*noise-?\")")).hasSize(6);
        assertThat(ids("exists(attributes/location)")).containsExactly("noise-5", "noise-1", "noise-2", "noise-3",
                "noise-4");
        assertThat(ids("exists(features/switchable)")).containsExactly("theName");
        assertThat(ids("not(exists(features/noise))")).containsExactly("theName");
        assertThat(ids("and(eq(attributes/zone,\"stratumseind\"),gt(features/noise/properties/laeq,70))"))
                .containsExactly("noise-1", "noise-3");
        assertThat(ids("or(eq(attributes/zone,\"woensel\"),lt(features/noise/properties/laeq,66))"))
                .containsExactly("noise-2", "noise-4");
        // arrays match when an element does
        assertThat(ids("eq(attributes/tags,\"pole\")")).containsExactly("noise-1", "noise-2", "noise-3", "noise-4");
        assertThat(ids("like(features/noise/definition,\"*NoiseLevelObserved*\")")).hasSize(4);
        // any feature
        assertThat(ids("eq(features/*/properties/on,true)")).containsExactly("theName");
        assertThat(ids("gt(features/*/properties/laeq,79)")).containsExactly("noise-3");
        // special fields
        assertThat(ids("ge(_revision,4)")).containsExactly("noise-3", "theName");
        assertThat(ids("eq(policyId,\"the.namespace:thePolicyName\")")).containsExactly("theName");
        assertThat(ids("eq(definition,\"org.eclipse.ditto:HeatingDevice:2.1.0\")")).containsExactly("theName");
        assertThat(ids("eq(_modified,\"2026-11-23T21:00:00Z\")")).hasSize(4);
    }

    @Test
    void sortsWithThingIdAsTieBreak() {
        SearchRequest loudestFirst = SearchRequest.filter("exists(features/noise)")
                .withSort("sort(-features/noise/properties/laeq)");
        assertThat(ids(loudestFirst)).containsExactly("noise-3", "noise-1", "noise-6", "noise-5", "noise-2",
                "noise-4");
        // '+' arrives as a space from a query string; a missing sign means ascending
        assertThat(ids(SearchRequest.filter(null).withSort(" features/noise/properties/laeq")))
                .containsExactly("theName", "noise-4", "noise-2", "noise-5", "noise-6", "noise-1", "noise-3");
        assertThat(ids(SearchRequest.filter(null).withSort("+attributes/zone,-thingId")))
                .containsExactly("theName", "noise-5", "noise-6", "noise-3", "noise-2", "noise-1", "noise-4");
        assertThatThrownBy(() -> Sort.parse("sort(+features/*/properties/laeq)")).hasMessageContaining("name the feature");
        assertThatThrownBy(() -> Sort.parse("sort(+thingId,)")).hasMessageContaining("empty field");
        assertThatThrownBy(() -> Sort.parse("sort(+x)")).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.parameter()).isEqualTo("sort"));
    }

    @Test
    void cursorPagingVisitsEveryThingOnceInOrder() {
        SearchRequest first = SearchRequest.filter(null).withSort("-features/noise/properties/laeq").withSize(2);
        List<String> all = new ArrayList<>();
        SearchEngine.Page page = engine.search(first);
        int pages = 1;
        all.addAll(page.thingIds());
        while (page.cursor() != null) {
            page = engine.search(first.withCursor(page.cursor()));
            all.addAll(page.thingIds());
            pages++;
        }
        assertThat(pages).isEqualTo(4);
        assertThat(all).containsExactlyElementsOf(engine.search(first.withSize(200)).thingIds());
        assertThat(engine.search(first.withSize(7)).cursor()).isNull();
        assertThat(engine.search(SearchRequest.filter(null)).thingIds()).hasSize(7);

        String cursor = engine.search(first).cursor();
        assertThatThrownBy(() -> engine.search(first.withSort("+thingId").withCursor(cursor)))
                .hasMessageContaining("belongs to another query");
        assertThatThrownBy(() -> engine.search(first.withCursor("nonsense!")))
                .hasMessageContaining("not one this hub handed out");
        assertThatThrownBy(() -> engine.search(first.withSize(201))).hasMessageContaining("from 1 to 200");
        assertThatThrownBy(() -> engine.search(first.withSize(0))).hasMessageContaining("from 1 to 200");
        assertThat(engine.count(SearchRequest.filter("gt(features/noise/properties/laeq,60)"))).isEqualTo(5);
    }

    @Test
    void geo() {
        String near = STRATUMSEIND_LAT + "," + STRATUMSEIND_LON + ",",
                all = "exists(features/noise)";
        // noise-2 is ~30 m away, noise-3 ~59 m, noise-4 ~1 km
        assertThat(ids(SearchRequest.filter(all).withNear(near + "35"))).containsExactly("noise-1", "noise-2");
        assertThat(ids(SearchRequest.filter(all).withNear(near + "65"))).containsExactly("noise-1", "noise-2",
                "noise-3");
        assertThat(ids(SearchRequest.filter(null).withNear(near + "1100"))).containsExactly("noise-1", "noise-2",
                "noise-3", "noise-4");
        assertThat(ids(SearchRequest.filter(null).withBbox("5.4775,51.4410,5.4800,51.4430")))
                .containsExactly("noise-1", "noise-2", "noise-3");
        assertThat(ids(SearchRequest.filter("gt(features/noise/properties/laeq,70)").withBbox("-3,42,6,52")))
                .containsExactly("noise-1", "noise-3");
        // in the zone by location, or without location but tagged with it
        assertThat(ids(SearchRequest.filter(null).withZone("stratumseind"))).containsExactly("noise-1", "noise-2",
                "noise-3", "noise-6");
        assertThat(ids(SearchRequest.filter("gt(features/noise/properties/laeq,75)").withZone("stratumseind")))
                .containsExactly("noise-3");
        assertThat(ids(SearchRequest.filter(null).withWithin("""
                {"type":"Polygon","coordinates":[[[-3,42],[-2,42],[-2,43],[-3,43],[-3,42]]]}""")))
                .containsExactly("noise-5");
    }

    @Test
    void badGeoParametersAreExplained() {
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withZone("nowhere")))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("zone");
                    assertThat(e.getMessage()).contains("Zone 'nowhere' is not known; the known zones are stratumseind");
                });
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withNear("51.44,5.47")))
                .hasMessageContaining("takes 3 numbers");
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withNear("51.44,5.47,abc")))
                .hasMessageContaining("'abc' in near is not a number");
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withNear("5.47,191.44,10")))
                .hasMessageContaining("Longitude 191.44 in near is outside");
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withNear("51.44,5.47,-1")))
                .hasMessageContaining("radius");
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withNear("51.44,5.47,NaN")))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withBbox("5.47,91.43,5.49,51.45")))
                .hasMessageContaining("Latitude 91.43 in bbox is outside -90..90");
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withBbox("5.49,51.43,5.47,51.45")))
                .hasMessageContaining("minimum must not exceed the maximum");
        // a bow tie: the ring crosses itself
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withWithin("""
                {"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}""")))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("within");
                    assertThat(e.getMessage()).contains("invalid geometry: Self-intersection");
                });
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withWithin("""
                {"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,0.5]]]}""")))
                .hasMessageContaining("not closed");
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withWithin("""
                {"type":"Point","coordinates":[0,0]}"""))).hasMessageContaining("not an area");
        assertThatThrownBy(() -> engine.search(SearchRequest.filter(null).withWithin("{oops")))
                .hasMessageContaining("must be a GeoJSON Polygon");
    }

    @Test
    void distanceIsGreatCircle() {
        // Eindhoven to Amsterdam Centraal: about 111 km
        assertThat(GeoFilter.distance(51.4418, 5.4787, 52.3791, 4.9003)).isBetween(110_000.0, 112_000.0);
        assertThat(GeoFilter.distance(51.4418, 5.4787, 51.4418, 5.4787)).isZero();
    }
}
