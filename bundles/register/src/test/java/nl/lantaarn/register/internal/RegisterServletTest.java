package nl.lantaarn.register.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.fge.jsonschema.core.report.ProcessingReport;
import com.github.fge.jsonschema.main.JsonSchema;
import com.github.fge.jsonschema.main.JsonSchemaFactory;

/** The public register over real HTTP: formats, negotiation, paging, caching, headers, escaping, bad input. */
class RegisterServletTest {

    private static RegisterFixture fixture;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fixture = new RegisterFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.base + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theGeoJsonIsAnRfc7946FeatureCollectionOfTheRegisteredSensorsOnly() throws Exception {
        HttpResponse<String> response = get("/register.geojson");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/geo+json");

        ObjectMapper mapper = new ObjectMapper();
        JsonSchema schema = JsonSchemaFactory.byDefault().getJsonSchema(mapper.readTree(
                RegisterServletTest.class.getResource("/rfc7946-point-featurecollection.schema.json")));
        ProcessingReport report = schema.validate(mapper.readTree(response.body()));
        assertThat(report.isSuccess()).as(report.toString()).isTrue();
        // and the schema can fail: latitude and longitude swapped out of range
        JsonNode swapped = mapper.readTree(response.body().replace("[5.47872,51.44171]", "[51.44171,95.0]"));
        assertThat(schema.validate(swapped).isSuccess()).isFalse();

        JsonObject collection = JsonObject.of(response.body());
        assertThat(collection.getValue("numberMatched")).contains(JsonValue.of(3));
        Map<String, JsonObject> features = collection.getValue("features").orElseThrow().asArray().stream()
                .map(JsonValue::asObject)
                .collect(Collectors.toMap(f -> f.getValue("id").orElseThrow().asString(), Function.identity()));
        assertThat(features).containsOnlyKeys("nl.eindhoven.safety:noise-7", "nl.eindhoven.crowd:counter-3",
                "nl.eindhoven.environment:bike-1");
        JsonObject noise = features.get("nl.eindhoven.safety:noise-7");
        // longitude first, as on the thing
        assertThat(noise.getValue("geometry/coordinates")).contains(JsonArray.of(5.47872, 51.44171));
        assertThat(noise.getValue("properties")).contains(JsonObject.of("""
                {"thingId":"nl.eindhoven.safety:noise-7","sensorType":"Geluidsensor",
                 "organisation":"Gemeente Eindhoven",
                 "contact":{"name":"Team Stratumseind","email":"stratumseind@example.nl"},
                 "containsPersonalData":false,"goal":"Geluidsoverlast in het uitgaansgebied meten",
                 "legalGround":"PUBLIC_TASK","activeUntil":"2030-12-31","reference":"EHV-0007","active":true,
                 "area":"stratumseind","areaName":"stratumseind",
                 "measures":[{"feature":"noise","model":"NoiseLevelObserved"}]}"""));
        assertThat(features.get("nl.eindhoven.crowd:counter-3").getValue(JsonPointer.of("properties/active")))
                .as("past activeUntil 2026-11-23 on 2026-11-24").contains(JsonValue.of(false));
        JsonObject bike = features.get("nl.eindhoven.environment:bike-1");
        assertThat(bike.getValue("geometry")).contains(JsonValue.nullLiteral());
        assertThat(bike.getValue(JsonPointer.of("properties/regions"))).contains(JsonArray.of("Centrum", "Strijp"));
    }

    @Test
    void theCsvParsesBackToTheSameSensors() throws Exception {
        HttpResponse<String> response = get("/register.csv");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(response.body()))) {
            assertThat(parser.getHeaderNames()).containsExactlyElementsOf(RegisterFormats.CSV_COLUMNS);
            List<CSVRecord> records = parser.getRecords();
            // by area name (sensors without an area last), then thing id
            assertThat(records).extracting(r -> r.get("thingId")).containsExactly(
                    "nl.eindhoven.environment:bike-1", "nl.eindhoven.crowd:counter-3", "nl.eindhoven.safety:noise-7");
            CSVRecord counter = records.get(1);
            assertThat(counter.get("goal")).isEqualTo("Drukte tellen, \"geen\" beelden; <b>alleen</b> aantallen");
            assertThat(counter.get("reference")).as("no formula for spreadsheets").isEqualTo("'=HYPERLINK(1,2)");
            assertThat(counter.get("active")).isEqualTo("false");
            assertThat(counter.get("containsPersonalData")).isEqualTo("true");
            assertThat(counter.get("contactUrl")).isEqualTo("https://eindhoven.example.nl/drukte");
            assertThat(counter.get("measures")).isEqualTo("crowd (CrowdFlowObserved)");
            CSVRecord noise = records.get(2);
            assertThat(Double.parseDouble(noise.get("longitude"))).isEqualTo(5.47872);
            assertThat(Double.parseDouble(noise.get("latitude"))).isEqualTo(51.44171);
            CSVRecord bike = records.get(0);
            assertThat(bike.get("longitude")).isEmpty();
            assertThat(bike.get("regions")).isEqualTo("Centrum;Strijp");
        }
    }

    @Test
    void registerNegotiatesTheFormat() throws Exception {
        assertThat(get("/register").headers().firstValue("Content-Type")).contains("application/geo+json");
        assertThat(get("/register", "Accept", "text/csv").headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/csv");
        HttpResponse<String> browser = get("/register", "Accept",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assertThat(browser.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(browser.headers().firstValue("Vary")).contains("Accept, Accept-Language");
        assertThat(get("/register", "Accept", "application/json").headers().firstValue("Content-Type"))
                .contains("application/json");
        HttpResponse<String> xml = get("/register", "Accept", "application/xml");
        assertThat(xml.statusCode()).isEqualTo(406);
        assertThat(xml.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JsonObject.of(xml.body()).getValue("detail").orElseThrow().asString())
                .contains("application/geo+json").contains("/register.csv");
    }

    @Test
    void pagesAreBoundedAndLinked() throws Exception {
        HttpResponse<String> first = get("/register.geojson?limit=2");
        assertThat(first.headers().firstValue("X-Total-Count")).contains("3");
        assertThat(first.headers().firstValue("Link")).contains("</register.geojson?offset=2&limit=2>; rel=\"next\"");
        assertThat(JsonObject.of(first.body()).getValue("numberReturned")).contains(JsonValue.of(2));
        HttpResponse<String> second = get("/register.geojson?offset=2&limit=2");
        assertThat(JsonObject.of(second.body()).getValue("features").orElseThrow().asArray().getSize()).isEqualTo(1);
        assertThat(second.headers().firstValue("Link")).contains("</register.geojson?offset=0&limit=2>; rel=\"prev\"");

        for (String bad : List.of("limit=0", "limit=10001", "limit=many", "offset=-1", "colour=red", "lang=en",
                "limit=1&limit=2")) {
            HttpResponse<String> refused = get("/register.geojson?" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            String parameter = bad.substring(0, bad.indexOf('='));
            assertThat(JsonObject.of(refused.body()).getValue("detail").orElseThrow().asString()).as(bad)
                    .contains("'" + parameter + "'");
        }
        assertThat(get("/register/?limit=1001").statusCode()).isEqualTo(400);
        assertThat(get("/register/?lang=fr").body()).contains("lang must be nl or en, was 'fr'");
    }

    @Test
    void answersArePublicCacheableAndCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> data = get("/register.geojson");
        assertThat(data.headers().firstValue("Cache-Control")).contains("public, max-age=300");
        assertThat(data.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(data.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(data.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(data.headers().firstValue("API-Version")).contains("0.1.0");
        assertThat(data.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        String etag = data.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/register.geojson", "If-None-Match", etag).statusCode()).isEqualTo(304);

        HttpResponse<String> page = get("/register/");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'").contains("style-src 'self'").doesNotContain("script-src");
        assertThat(page.headers().firstValue("Content-Language")).contains("nl");
        HttpResponse<String> css = get("/register/register.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.base + "/register"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(get("/register/other").statusCode()).isEqualTo(404);
    }

    @Test
    void thePageListsTheSensorsPerAreaWithEverythingEscaped() throws Exception {
        Document page = Jsoup.parse(get("/register/").body());
        assertThat(page.select("html").attr("lang")).isEqualTo("nl");
        assertThat(page.title()).isEqualTo("Sensorregister");
        assertThat(page.select(".lang a").text()).isEqualTo("English");
        assertThat(page.select(".lang a").attr("href")).isEqualTo("/register?lang=en");
        assertThat(page.select("section.area h2").eachText()).containsExactly("Centrum, Strijp (1)",
                "stratumseind (2)");
        assertThat(page.select("script")).isEmpty();
        Element bike = page.selectFirst("li[data-thing=nl.eindhoven.environment:bike-1]");
        assertThat(bike.text()).contains("<script>alert('x')</script> Luchtkwaliteit meten")
                .contains("mobiel, geen vaste plek");
        Element counter = page.selectFirst("li[data-thing=nl.eindhoven.crowd:counter-3]");
        assertThat(counter.hasClass("inactive")).isTrue();
        assertThat(counter.select(".badge").text()).isEqualTo("Niet meer actief");
        assertThat(counter.select("b")).isEmpty();
        assertThat(counter.select("a[href=https://eindhoven.example.nl/privacy]")).hasSize(1);
        assertThat(counter.select("a[href=mailto:drukte@example.nl]")).hasSize(1);
        Element noise = page.selectFirst("li[data-thing=nl.eindhoven.safety:noise-7]");
        assertThat(noise.select("dt").eachText()).containsExactly("Meet", "Waarom", "Grondslag", "Persoonsgegevens",
                "Verantwoordelijk", "Vragen?", "Actief tot en met", "Locatie", "Kenmerk");
        assertThat(noise.select("dd").eachText()).contains("noise (NoiseLevelObserved)",
                "Taak van algemeen belang (AVG art. 6 lid 1e)", "31 december 2030", "51.44171, 5.47872");

        Document english = Jsoup.parse(get("/register/", "Accept-Language", "en-GB,en;q=0.9,nl;q=0.5").body());
        assertThat(english.select("html").attr("lang")).isEqualTo("en");
        assertThat(english.select("h1").text()).isEqualTo("Sensor register");
        assertThat(english.select("#count").text()).isEqualTo("3 sensors registered");
        assertThat(Jsoup.parse(get("/register/?lang=en", "Accept-Language", "nl").body()).select("h1").text())
                .isEqualTo("Sensor register");

        fixture.servlet.settings("Gemeente <Eindhoven>", 60);
        try {
            Document headed = Jsoup.parse(get("/register/?limit=1").body());
            assertThat(headed.title()).isEqualTo("Sensorregister Gemeente <Eindhoven>");
            assertThat(headed.select("nav.pages a[rel=next]").attr("href")).isEqualTo("/register?lang=nl&offset=1&limit=1");
        } finally {
            fixture.servlet.settings("", 300);
        }
    }

    @Test
    void negotiationPrefersTheMoreSpecificAndHeavierType() {
        assertThat(RegisterServlet.negotiate(null)).isEqualTo(RegisterServlet.GEOJSON);
        assertThat(RegisterServlet.negotiate("*/*")).isEqualTo(RegisterServlet.GEOJSON);
        assertThat(RegisterServlet.negotiate("text/*")).isEqualTo(RegisterServlet.CSV);
        assertThat(RegisterServlet.negotiate("text/csv;q=0.5, text/html")).isEqualTo(RegisterServlet.HTML);
        assertThat(RegisterServlet.negotiate("image/png")).isNull();
        assertThat(RegisterServlet.negotiate("text/html;q=0")).isNull();
    }
}
