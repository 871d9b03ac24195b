package nl.lantaarn.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.health.api.ComponentHealth;

/** Zone files: formats, ids, refusal of bad files with their reason, and reloading on change. */
class ZoneRegistryTest {

    private static final String SQUARE = "{\"type\":\"Polygon\",\"coordinates\":[[[5,51],[6,51],[6,52],[5,52],[5,51]]]}";

    @TempDir
    Path folder;

    @Test
    void readsFeaturesAndCollections() throws IOException {
        Files.writeString(folder.resolve("single.geojson"), "{\"type\":\"Feature\",\"properties\":{},\"geometry\":"
                + SQUARE + "}");
        Files.writeString(folder.resolve("set.geojson"), """
                {"type":"FeatureCollection","features":[
                  {"type":"Feature","id":"a","properties":{"name":"Area A"},"geometry":%s},
                  {"type":"Feature","properties":{"id":"b"},"geometry":{"type":"MultiPolygon","coordinates":[
                    [[[5,51],[5.5,51],[5.5,51.5],[5,51]]],[[[5.6,51.6],[5.9,51.6],[5.9,51.9],[5.6,51.6]]]]}},
                  {"type":"Feature","properties":{"name":"Wijk-7"},"geometry":%s}]}""".formatted(SQUARE, SQUARE));
        Files.writeString(folder.resolve("ignored.json"), "not a zone file");
        ZoneRegistry registry = new ZoneRegistry(folder, 60_000);
        try {
            assertThat(registry.zones()).containsOnlyKeys("single", "a", "b", "Wijk-7");
            assertThat(registry.zone("a").orElseThrow().name()).isEqualTo("Area A");
            assertThat(registry.zone("a").orElseThrow().file()).isEqualTo("set.geojson");
            assertThat(registry.zone("b").orElseThrow().geometry().getNumGeometries()).isEqualTo(2);
            assertThat(registry.problems()).isEmpty();
            assertThat(registry.health().status()).isEqualTo(ComponentHealth.Status.UP);
        } finally {
            registry.close();
        }
    }

    @Test
    void refusesBadFilesWithTheirReason() throws IOException {
        Files.writeString(folder.resolve("bowtie.geojson"), """
                {"type":"Feature","id":"bowtie","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}""");
        Files.writeString(folder.resolve("open.geojson"), """
                {"type":"Feature","id":"open","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}""");
        Files.writeString(folder.resolve("swapped.geojson"), """
                {"type":"Feature","id":"swapped","geometry":{"type":"Polygon","coordinates":[[[51,5],[52,5],[52,95],[51,5]]]}}""");
        Files.writeString(folder.resolve("noid.geojson"), """
                {"type":"FeatureCollection","features":[{"type":"Feature","geometry":%s},
                  {"type":"Feature","id":"x","geometry":%s}]}""".formatted(SQUARE, SQUARE));
        Files.writeString(folder.resolve("point.geojson"), """
                {"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[5,51]}}""");
        Files.writeString(folder.resolve("broken.geojson"), "{\"type\":\"Feature\",");
        Files.writeString(folder.resolve("z-duplicate.geojson"), "{\"type\":\"Feature\",\"id\":\"good\",\"geometry\":"
                + SQUARE + "}");
        Files.writeString(folder.resolve("good.geojson"), "{\"type\":\"Feature\",\"geometry\":" + SQUARE + "}");
        ZoneRegistry registry = new ZoneRegistry(folder, 60_000);
        try {
            assertThat(registry.zones()).containsOnlyKeys("good");
            assertThat(String.join("\n", registry.problems()))
                    .contains("bowtie.geojson: invalid geometry: Self-intersection at or near [0.5, 0.5]")
                    .contains("open.geojson outer ring: the ring is not closed; repeat the first position [0.0, 0.0] as the last")
                    .contains("swapped.geojson outer ring position 2: [52,95] is outside WGS84")
                    .contains("noid.geojson feature 0: the feature has no zone id")
                    .contains("point.geojson: geometry type 'Point' is not an area")
                    .contains("broken.geojson: not valid JSON")
                    .contains("z-duplicate.geojson: zone id 'good' is already defined in good.geojson");
            ComponentHealth health = registry.health();
            assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
            assertThat(health.detail()).contains("1 zones from").contains("bowtie.geojson");
        } finally {
            registry.close();
        }
    }

    @Test
    void reloadsOnChangeAndKeepsTheLastGoodVersionOfABrokenFile() throws IOException {
        Path file = folder.resolve("event.geojson");
        ZoneRegistry registry = new ZoneRegistry(folder, 50);
        try {
            assertThat(registry.zones()).isEmpty();
            Files.writeString(file, "{\"type\":\"Feature\",\"id\":\"terrain\",\"geometry\":" + SQUARE + "}");
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.zone("terrain").isPresent());

            Files.writeString(file, "{\"type\":\"Feature\",\"id\":\"terrain\",\"geometry\":{\"type\":\"Polygon\"}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !registry.problems().isEmpty());
            assertThat(registry.zone("terrain")).isPresent();
            assertThat(registry.problems().get(0)).contains("event.geojson: the Polygon has no coordinates")
                    .contains("the version loaded before stays in use");

            Files.writeString(file, "{\"type\":\"Feature\",\"id\":\"terrain-2\",\"geometry\":" + SQUARE + "}  ");
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.zone("terrain-2").isPresent());
            assertThat(registry.zones()).containsOnlyKeys("terrain-2");
            assertThat(registry.problems()).isEmpty();

            Files.delete(file);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.zones().isEmpty());
        } finally {
            registry.close();
        }
    }

    @Test
    void folderFollowsTheHome() {
        assertThat(ZoneRegistry.folder("/srv/hub", "")).isEqualTo(Path.of("/srv/hub/zones"));
        assertThat(ZoneRegistry.folder(null, " ")).isEqualTo(Path.of("./zones"));
        assertThat(ZoneRegistry.folder("/srv/hub", "/data/areas")).isEqualTo(Path.of("/data/areas"));
    }

    @Test
    void theRepositoryZoneIsValid() throws IOException {
        Path repositoryZones = Path.of("../../zones");
        ZoneRegistry registry = new ZoneRegistry(repositoryZones, 60_000);
        try {
            assertThat(registry.problems()).isEmpty();
            Zone zone = registry.zone("stratumseind").orElseThrow();
            assertThat(zone.geometry().contains(GeoJson.FACTORY.createPoint(
                    new org.locationtech.jts.geom.Coordinate(TestThings.STRATUMSEIND_LON, TestThings.STRATUMSEIND_LAT))))
                    .isTrue();
        } finally {
            registry.close();
        }
    }
}
