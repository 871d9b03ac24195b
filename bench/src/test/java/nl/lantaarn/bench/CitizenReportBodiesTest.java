package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;

class CitizenReportBodiesTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30.678Z");

    @TempDir
    Path folder;

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            assertThat(equals).as(pair).isPositive();
            assertThat(fields.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1),
                    StandardCharsets.UTF_8))).as("field given twice: " + pair).isNull();
        }
        return fields;
    }

    private static CitizenReportBodies.Report reportWithReporter(CitizenReportBodies bodies) {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            CitizenReportBodies.Report report = bodies.next(random, AT);
            if (report.reporter() != null && report.reporter().email() != null) {
                return report;
            }
        }
        throw new AssertionError("no report with a reporter in 100");
    }

    @Test
    void open311FormHasTheGeoReportFields() {
        CitizenReportBodies bodies = new CitizenReportBodies(CitizenReportBodies.CATEGORIES);
        CitizenReportBodies.Report report = reportWithReporter(bodies);

        Map<String, String> fields = form(CitizenReportBodies.open311Form(report, "eindhoven"));

        assertThat(fields).containsKeys("jurisdiction_id", "service_code", "lat", "long", "address_string",
                "description", "email", "first_name", "last_name").doesNotContainKey("api_key");
        assertThat(fields.get("service_code")).isEqualTo(report.category().code());
        assertThat(Double.parseDouble(fields.get("lat"))).isEqualTo(report.lat());
        assertThat(Double.parseDouble(fields.get("long"))).isEqualTo(report.lon());
        assertThat(fields.get("description")).isEqualTo(report.description());
        assertThat(fields.get("email")).endsWith("@example.nl");
        assertThat(form(CitizenReportBodies.open311Form(report, null))).doesNotContainKey("jurisdiction_id");
    }

    @Test
    void signalenJsonHasTheShapeOfAPublicSignal() {
        CitizenReportBodies bodies = new CitizenReportBodies(CitizenReportBodies.CATEGORIES);
        CitizenReportBodies.Report report = reportWithReporter(bodies);

        JsonObject signal = Json.parse(CitizenReportBodies.signalenJson(report)).asObject();

        assertThat(signal.getString("text", null)).isEqualTo(report.description());
        JsonObject point = signal.get("location").asObject().get("geometrie").asObject();
        assertThat(point.getString("type", null)).isEqualTo("Point");
        assertThat(point.get("coordinates").asArray().get(0).asDouble()).isEqualTo(report.lon());
        assertThat(point.get("coordinates").asArray().get(1).asDouble()).isEqualTo(report.lat());
        assertThat(signal.get("category").asObject().getString("sub_category", null)).isEqualTo(
                "/signals/v1/public/terms/categories/" + report.category().group() + "/sub_categories/"
                        + report.category().code());
        assertThat(signal.get("reporter").asObject().getString("email", null)).isEqualTo(report.reporter().email());
        assertThat(signal.getString("incident_date_start", null)).isEqualTo("2026-11-24T10:15:30Z");
    }

    @Test
    void reportsStayInEindhovenAndReportersRepeat() {
        CitizenReportBodies bodies = new CitizenReportBodies(CitizenReportBodies.CATEGORIES);
        SplittableRandom random = new SplittableRandom(7);
        List<CitizenReportBodies.Report> reports = IntStream.range(0, 500).mapToObj(i -> bodies.next(random, AT))
                .toList();

        assertThat(reports).allSatisfy(report -> {
            assertThat(report.lat()).isBetween(51.42, 51.46);
            assertThat(report.lon()).isBetween(5.44, 5.50);
            assertThat(report.address()).endsWith(", Eindhoven");
        });
        Set<String> emails = new HashSet<>();
        long withReporter = reports.stream().filter(r -> r.reporter() != null && r.reporter().email() != null)
                .peek(r -> emails.add(r.reporter().email())).count();
        assertThat(emails.size()).isLessThanOrEqualTo(CitizenReportBodies.RESIDENTS).isLessThan((int) withReporter);
        assertThat(reports).anySatisfy(r -> assertThat(r.reporter()).isNull());
        assertThat(reports).anySatisfy(r -> assertThat(r.description()).contains("Bel me gerust: 06-"));
        assertThat(reports.stream().map(r -> r.category().code()).distinct().count())
                .isEqualTo(CitizenReportBodies.CATEGORIES.size());
    }

    @Test
    void categoriesFollowWhatTheHubLists() {
        String services = "[{\"service_code\":\"boom\",\"service_name\":\"Boom\",\"group\":\"groen\"},"
                + "{\"service_code\":\"lamp\",\"service_name\":\"Straatverlichting\",\"metadata\":false}]";

        Map<String, String> codes = CitizenReportsCommand.parseServices(services);
        List<CitizenReportBodies.Category> categories = CitizenReportBodies.fromHub(codes);

        assertThat(codes).containsExactly(Map.entry("boom", "groen"), Map.entry("lamp", ""));
        assertThat(categories).extracting(CitizenReportBodies.Category::code).containsExactly("boom", "lamp");
        assertThat(categories.get(0).texts()).contains("Boom is omgewaaid en blokkeert de stoep.");
        assertThat(categories.get(1).group()).isEqualTo("overig");
        CitizenReportBodies bodies = new CitizenReportBodies(categories);
        assertThat(bodies.next(new SplittableRandom(1), AT).category().code()).isIn("boom", "lamp");
    }

    @Test
    void answersAreReadForIdsAndReasons() {
        assertThat(CitizenReportsCommand.requestId("[{\"service_request_id\":\"01jd8m3q5x7k\",\"service_notice\":"
                + "\"\",\"account_id\":null}]")).contains("01jd8m3q5x7k");
        assertThat(CitizenReportsCommand.requestId("{\"thingIds\":[\"nl.eindhoven.citizen:report-01jd8m3q5x7m\"]}"))
                .contains("01jd8m3q5x7m");
        assertThat(CitizenReportsCommand.description("[{\"code\":400,\"description\":\"lat: must be \\\"between\\\""
                + "\"}]")).contains("lat: must be \"between\"");
        assertThat(CitizenReportsCommand.description("{\"status\":422,\"detail\":\"field 'text' is missing\"}"))
                .contains("field 'text' is missing");
    }

    @Test
    void theHubIsFoundAndTheKeyRead() throws Exception {
        assertThat(CitizenReportsCommand.baseUri("http://hub.example:9000/", folder, Map.of()))
                .isEqualTo(URI.create("http://hub.example:9000"));
        assertThat(CitizenReportsCommand.baseUri(null, folder, Map.of("LANTAARN_HTTP_PORT", "18080")))
                .isEqualTo(URI.create("http://127.0.0.1:18080"));
        assertThat(CitizenReportsCommand.baseUri(null, folder, Map.of())).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThatThrownBy(() -> CitizenReportsCommand.baseUri("ftp://x", folder, Map.of()))
                .hasMessageContaining("--url must be an http(s) URL");
        assertThatThrownBy(() -> CitizenReportsCommand.baseUri(null, folder, Map.of("LANTAARN_HTTP_PORT", "http")))
                .hasMessageContaining("LANTAARN_HTTP_PORT has HTTP port 'http'");

        Path keyFile = folder.resolve("key");
        Files.writeString(keyFile, "  secret-key\n");
        assertThat(CitizenReportsCommand.apiKey(keyFile, Map.of("LANTAARN_API_KEY", "other"))).isEqualTo("secret-key");
        assertThat(CitizenReportsCommand.apiKey(null, Map.of("LANTAARN_API_KEY", " env-key "))).isEqualTo("env-key");
        assertThatThrownBy(() -> CitizenReportsCommand.apiKey(null, Map.of()))
                .hasMessageContaining("--api-key-file F or the environment variable LANTAARN_API_KEY");
        assertThatThrownBy(() -> CitizenReportsCommand.apiKey(folder.resolve("missing"), Map.of()))
                .hasMessageContaining("cannot read the API key file");
    }
}
