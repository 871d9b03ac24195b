package nl.lantaarn.adapters.citizenreports.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.AdapterType;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.things.model.ThingUpdate;

/** Mapping of Open311 forms and Signalen signals, pseudonymisation, and the reasons of rejected payloads. */
class CitizenReportsAdapterTest {

    static final Path RESOURCES = Path.of("src/test/resources");
    static final Instant RECEIVED = Instant.parse("2026-11-24T10:15:30Z");

    @TempDir
    Path home;

    private CitizenReportsAdapterFactory factory;
    private CitizenReportsAdapter adapter;

    @BeforeEach
    void create() throws Exception {
        factory = new CitizenReportsAdapterFactory(home, new ReportInstances());
        adapter = (CitizenReportsAdapter) factory.create(configuration("default", Map.of()));
    }

    static AdapterConfiguration configuration(String name, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of("municipality", "eindhoven"));
        properties.putAll(extra);
        return new AdapterConfiguration(CitizenReportsAdapter.TYPE_ID, name, properties);
    }

    static byte[] resource(String name) throws Exception {
        return Files.readAllBytes(RESOURCES.resolve(name));
    }

    static InboundMessage open311(String form) {
        return open311(form.getBytes(StandardCharsets.UTF_8));
    }

    static InboundMessage open311(byte[] form) {
        return new InboundMessage("/ingest/open311/requests.json", form, RECEIVED, Map.of(InboundMessage.HTTP_METHOD,
                "POST", InboundMessage.HTTP_PATH, "/requests.json", InboundMessage.CONTENT_TYPE,
                "application/x-www-form-urlencoded"));
    }

    static InboundMessage signalen(String json) {
        return signalen(json.getBytes(StandardCharsets.UTF_8));
    }

    static InboundMessage signalen(byte[] json) {
        return new InboundMessage("/ingest/citizen-reports/signalen", json, RECEIVED, Map.of(
                InboundMessage.HTTP_METHOD, "POST", InboundMessage.HTTP_PATH, "/signalen",
                InboundMessage.CONTENT_TYPE, "application/json"));
    }

    private ThingUpdate mapOne(InboundMessage message) throws PayloadRejectedException {
        List<ThingUpdate> updates = adapter.map(message);
        assertThat(updates).hasSize(1);
        return updates.get(0);
    }

    private static JsonValue at(ThingUpdate update, String pointer) {
        return update.patch().getValue(JsonPointer.of(pointer))
                .orElseThrow(() -> new AssertionError(pointer + " missing in " + update.patch()));
    }

    @Test
    void typeDeclaresPersonalDataOnThePublicTaskGround() {
        AdapterType type = factory.type();
        PrivacyManifest privacy = type.privacy();

        assertThat(type.id()).isEqualTo("citizen-reports");
        assertThat(type.domains()).containsExactly("citizen");
        assertThat(privacy.personalData()).isTrue();
        assertThat(privacy.legalGround()).isEqualTo(PrivacyManifest.LegalGround.PUBLIC_TASK);
        assertThat(privacy.declares("/attributes/reporter")).isTrue();
        assertThat(privacy.declares("/features/report/properties/status")).isTrue();
        assertThat(privacy.declares("/attributes/email")).isFalse();
        assertThat(adapter.inbound()).isEqualTo(Inbound.webhook("citizen-reports"));
    }

    @Test
    void open311FormBecomesAReportThingWithoutPersonalDataInClear() throws Exception {
        ThingUpdate update = mapOne(open311(resource("open311/post-service-request.CONSTRUCTED.form")));

        assertThat(update.thingId().getNamespace()).isEqualTo("nl.eindhoven.citizen");
        assertThat(update.thingId().getName()).matches("report-[0-9a-z]{12}");
        assertThat(at(update, "/attributes/category").asString()).isEqualTo("lantaarnpaal-straatverlichting");
        assertThat(at(update, "/attributes/categoryName").asString()).isEqualTo("Lantaarnpaal of straatverlichting");
        assertThat(at(update, "/attributes/location")).isEqualTo(JsonObject.of(
                "{\"type\":\"Point\",\"coordinates\":[5.469722,51.441642]}"));
        assertThat(at(update, "/attributes/address").asString()).isEqualTo("Stratumseind 32, 5611 ET Eindhoven");
        assertThat(at(update, "/attributes/adapter").asString()).isEqualTo("citizen-reports");
        assertThat(at(update, "/attributes/source").asString()).isEqualTo("open311");
        assertThat(at(update, "/attributes/reporter").asString()).matches("[0-9a-f]{32}");
        assertThat(at(update, "/features/report/definition").asArray().get(0).orElseThrow().asString())
                .isEqualTo(FeatureDefinitions.ISSUE_REPORTING);
        assertThat(at(update, "/features/report/properties/status").asString()).isEqualTo("open");
        assertThat(at(update, "/features/report/properties/description").asString()).isEqualTo(
                "Lamp brandt niet meer sinds gisteren. Bel me gerust: [phone number removed] of mail [e-mail removed]");
        assertThat(at(update, "/features/report/properties/requestedAt").asString()).isEqualTo(RECEIVED.toString());
        assertThat(at(update, "/features/report/properties/mediaUrl").asString())
                .isEqualTo("https://example.nl/foto/1234.jpg");

        String everything = update.toString().toLowerCase();
        assertThat(everything).doesNotContain("jansen").doesNotContain("@").doesNotContain("12345678")
                .doesNotContain("jan\"").doesNotContain("test-key");
    }

    @Test
    void addressWithoutCoordinatesIsEnough() throws Exception {
        ThingUpdate update = mapOne(open311(resource("open311/post-service-request-address-only.CONSTRUCTED.form")));

        assertThat(update.patch().getValue(JsonPointer.of("/attributes/location"))).isEmpty();
        assertThat(update.patch().getValue(JsonPointer.of("/attributes/reporter"))).isEmpty();
        assertThat(at(update, "/attributes/address").asString()).isEqualTo("Markt 1, Eindhoven");
    }

    @Test
    void signalenSignalBecomesTheSameKindOfThing() throws Exception {
        ThingUpdate update = mapOne(signalen(resource("signalen/post-public-signal-request.json")));

        assertThat(update.thingId().toString()).matches("nl\\.eindhoven\\.citizen:report-[0-9a-z]{12}");
        assertThat(at(update, "/attributes/category").asString()).isEqualTo("overig");
        assertThat(at(update, "/attributes/categoryName").asString()).isEqualTo("Overig");
        assertThat(at(update, "/attributes/location")).isEqualTo(JsonObject.of(
                "{\"type\":\"Point\",\"coordinates\":[4.90022563,52.36768424]}"));
        assertThat(at(update, "/attributes/address").asString()).isEqualTo("Amstel 1, 1011PN Amsterdam");
        assertThat(at(update, "/attributes/source").asString()).isEqualTo("signalen");
        assertThat(at(update, "/attributes/reporter").asString()).matches("[0-9a-f]{32}");
        assertThat(at(update, "/features/report/properties/status").asString()).isEqualTo("open");
        assertThat(at(update, "/features/report/properties/description").asString())
                .isEqualTo("Luidruchtige vergadering\nextra: heel luidruchtig debat");
        assertThat(update.toString()).doesNotContain("melder").doesNotContain("0123456789");
    }

    @Test
    void signalenIdStatusAndTimesAreKept() throws Exception {
        ThingUpdate update = mapOne(signalen(resource("signalen/signal-with-status.CONSTRUCTED.json")));

        assertThat(update.thingId().toString()).isEqualTo("nl.eindhoven.citizen:report-sig-12345");
        assertThat(adapter.reportId(update.thingId().toString())).contains("sig-12345");
        assertThat(at(update, "/attributes/category").asString()).isEqualTo("lantaarnpaal-straatverlichting");
        assertThat(at(update, "/attributes/categoryName").asString()).isEqualTo("Lantaarnpaal straatverlichting");
        assertThat(at(update, "/attributes/address").asString()).isEqualTo("Dam 1, 1012JS Amsterdam");
        assertThat(at(update, "/features/report/properties/status").asString()).isEqualTo("closed");
        assertThat(at(update, "/features/report/properties/statusNotes").asString())
                .isEqualTo("De lamp is vervangen. Vragen? Bel [phone number removed].");
        assertThat(at(update, "/features/report/properties/externalId").asString()).isEqualTo("sig-12345");
        assertThat(at(update, "/features/report/properties/requestedAt").asString())
                .isEqualTo("2024-05-14T07:12:33.120458Z");
        assertThat(at(update, "/features/report/properties/updatedAt").asString())
                .isEqualTo("2024-05-15T14:40:02Z");
    }

    @Test
    void aRepeatedSignalWithoutStatusLeavesTheHubsStatusAlone() throws Exception {
        String signal = "{\"signal_id\":\"3BBD7A1C-6d2f-4b55-9c4a-2f0e8f6b1a10\",\"text\":\"Boom omgewaaid\","
                + "\"location\":{\"geometrie\":{\"type\":\"Point\",\"coordinates\":[5.47,51.44]}},"
                + "\"category\":{\"sub_category\":\"https://api.example.nl/signals/v1/public/terms/categories/"
                + "openbaar-groen-en-water/sub_categories/boom\"}}";

        ThingUpdate update = mapOne(signalen(signal));

        assertThat(update.thingId().getName()).isEqualTo("report-sig-3bbd7a1c-6d2f-4b55-9c4a-2f0e8f6b1a10");
        assertThat(update.patch().getValue(JsonPointer.of("/features/report/properties/status"))).isEmpty();
        assertThat(at(update, "/attributes/category").asString()).isEqualTo("boom");
        assertThat(at(update, "/attributes/categoryName").asString()).isEqualTo("Boom: omgewaaid, takken, ziek");
    }

    @Test
    void theSameReporterHasOnePseudonymAcrossOpen311AndSignalen() throws Exception {
        String viaOpen311 = at(mapOne(open311("service_code=boom&lat=51.44&long=5.47&email=Melder%40Example.com")),
                "/attributes/reporter").asString();
        String viaSignalen = at(mapOne(signalen(resource("signalen/post-public-signal-request.json"))),
                "/attributes/reporter").asString();

        assertThat(viaOpen311).isEqualTo(viaSignalen);

        // a hub with another key gives another pseudonym
        CitizenReportsAdapter other = (CitizenReportsAdapter) new CitizenReportsAdapterFactory(home,
                new ReportInstances()).create(configuration("other", Map.of("pseudonymKeyFile", "other.key")));
        String withOtherKey = at(other.map(signalen(resource("signalen/post-public-signal-request.json"))).get(0),
                "/attributes/reporter").asString();
        assertThat(withOtherKey).isNotEqualTo(viaSignalen);
        assertThat(home.resolve("other.key")).exists();
    }

    @Test
    void idsAreNewForEveryReportAndOrderedInTime() {
        ReportIds ids = new ReportIds(Clock.fixed(Instant.parse("2026-11-24T10:15:30Z"), ZoneOffset.UTC));

        String first = ids.next();
        String second = ids.next();

        assertThat(first).matches("[0-9a-z]{12}");
        assertThat(second).isNotEqualTo(first);
        assertThat(second.substring(0, 9)).isGreaterThan(first.substring(0, 9));
        ReportIds later = new ReportIds(Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC));
        assertThat(later.next()).isGreaterThan(second);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no service_code              | lat=51.44&long=5.47                                  | service_code: is missing
            unknown service_code         | service_code=potholes&lat=51.44&long=5.47            | service_code: 'potholes' is not one of this hub's services
            lat without long             | service_code=boom&lat=51.44                          | long: is missing
            lat out of range             | service_code=boom&lat=91&long=5.47                   | lat: must be between -90 and 90
            long not a number            | service_code=boom&lat=51.44&long=east                | long: must be a decimal number
            long not finite              | service_code=boom&lat=51.44&long=NaN                 | long: must be between -180 and 180
            no location                  | service_code=boom&description=Boom+om                | lat/long: a location is required
            media_url not http           | service_code=boom&lat=51.44&long=5.47&media_url=ftp%3A%2F%2Fx | media_url: must be an http or https URL
            field given twice            | service_code=boom&service_code=onkruid&lat=1&long=2  | field 'service_code' is given twice
            bad escape                   | service_code=boom&description=50%+off&lat=1&long=2   | field 'description' has a bad %-escape
            other jurisdiction           | jurisdiction_id=utrecht&service_code=boom&lat=1&long=2 | jurisdiction_id: 'utrecht' is not served by this instance
            """)
    void badOpen311FormsAreRejectedNamingTheField(String name, String form, String reason) {
        assertThatThrownBy(() -> adapter.map(open311(form)))
                .isInstanceOf(PayloadRejectedException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void rejectionsNeverRepeatContactDetails() {
        String secretEmail = "geheim.adres";
        assertThatThrownBy(() -> adapter.map(open311("service_code=boom&lat=1&long=2&email=" + secretEmail)))
                .hasMessageStartingWith("email: is not an e-mail address").hasMessageNotContaining(secretEmail);
        assertThatThrownBy(() -> adapter.map(open311("service_code=boom&lat=1&long=2&phone=bel+maar+jan")))
                .hasMessageStartingWith("phone: is not a telephone number").hasMessageNotContaining("jan");
        assertThatThrownBy(() -> adapter.map(open311("service_code=boom&lat=1&long=2&description="
                + "x".repeat(4001)))).hasMessage("description: must be at most 4000 characters, was 4001");
        // a broken JSON document is not quoted back: it may hold a reporter's address
        assertThatThrownBy(() -> adapter.map(signalen("{\"reporter\":{\"email\":\"jan@example.nl\"")))
                .hasMessageStartingWith("payload is not JSON").hasMessageNotContaining("jan@");
        assertThatThrownBy(() -> adapter.map(signalen("{\"text\":\"x\",\"location\":{\"geometrie\":{\"type\":"
                + "\"Point\",\"coordinates\":[5,51]}},\"category\":{\"sub_slug\":\"boom\"},\"reporter\":"
                + "{\"email\":42}}"))).hasMessage("field 'reporter.email' must be a string, was a number");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no text          | {"location":{"geometrie":{"type":"Point","coordinates":[5,51]}},"category":{"sub_slug":"boom"}} | field 'text' is missing
            no location      | {"text":"x","category":{"sub_slug":"boom"}}                                         | field 'location' is missing
            not a point      | {"text":"x","location":{"geometrie":{"type":"Polygon","coordinates":[5,51]}},"category":{"sub_slug":"boom"}} | field 'location.geometrie.type' must be "Point"
            outside          | {"text":"x","location":{"geometrie":{"type":"Point","coordinates":[51,95]}},"category":{"sub_slug":"boom"}} | field 'location.geometrie.coordinates' must be [longitude, latitude] within
            no category      | {"text":"x","location":{"geometrie":{"type":"Point","coordinates":[5,51]}}}         | field 'category' is missing
            bad category url | {"text":"x","location":{"geometrie":{"type":"Point","coordinates":[5,51]}},"category":{"sub_category":"/terms/boom"}} | field 'category.sub_category' must be a URL ending in
            negative id      | {"id":-3,"text":"x","location":{"geometrie":{"type":"Point","coordinates":[5,51]}},"category":{"sub_slug":"boom"}} | field 'id' must be a whole number
            bad time         | {"created_at":"gisteren","text":"x","location":{"geometrie":{"type":"Point","coordinates":[5,51]}},"category":{"sub_slug":"boom"}} | field 'created_at' must be an ISO-8601 time
            an array         | []                                                                                | payload must be a JSON object
            """)
    void badSignalsAreRejectedNamingTheField(String name, String json, String reason) {
        assertThatThrownBy(() -> adapter.map(signalen(json)))
                .isInstanceOf(PayloadRejectedException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void theWebhookPathDecidesTheFormat() throws Exception {
        InboundMessage wrongPath = new InboundMessage("x", "{}".getBytes(StandardCharsets.UTF_8), RECEIVED,
                Map.of(InboundMessage.HTTP_PATH, "/requests.xml"));
        assertThatThrownBy(() -> adapter.map(wrongPath)).hasMessageContaining("webhook path '/requests.xml' is not "
                + "handled");
        // without a path (a replayed dead letter, a file), the content type or the first character decides
        InboundMessage json = new InboundMessage("x", resource("signalen/post-public-signal-request.json"), RECEIVED);
        InboundMessage form = new InboundMessage("x", resource("open311/post-service-request.CONSTRUCTED.form"),
                RECEIVED);
        assertThat(at(mapOne(json), "/attributes/source").asString()).isEqualTo("signalen");
        assertThat(at(mapOne(form), "/attributes/source").asString()).isEqualTo("open311");
        assertThatThrownBy(() -> adapter.map(new InboundMessage("x", new byte[CitizenReportsAdapter.MAX_PAYLOAD_BYTES
                + 1], RECEIVED))).hasMessageContaining("a report is at most 65536");
    }

    @Test
    void configurationErrorsNameTheField() {
        assertThatThrownBy(() -> factory.create(new AdapterConfiguration("citizen-reports", "x", Map.of())))
                .isInstanceOf(AdapterConfigurationException.class).hasMessageStartingWith("municipality: is required");
        assertThatThrownBy(() -> factory.create(configuration("x", Map.of("municipality", "Den Bosch"))))
                .hasMessageStartingWith("municipality: must be 1-63 lower-case");
        assertThatThrownBy(() -> factory.create(configuration("x", Map.of("country", "NLD"))))
                .hasMessageStartingWith("country: must be a two-letter");
        assertThatThrownBy(() -> factory.create(configuration("x", Map.of("category.Bad Code", "x"))))
                .hasMessageStartingWith("category.Bad Code: the service code must be");
        assertThatThrownBy(() -> factory.create(configuration("x", Map.of("category.boom", "Boom",
                "group.onkruid", "groen")))).hasMessageStartingWith("group.onkruid: names a group for service");
        // a second instance may not answer to the same jurisdiction
        assertThatThrownBy(() -> factory.create(configuration("second", Map.of())))
                .hasMessageStartingWith("jurisdictionId: 'eindhoven' is already the jurisdiction of instance "
                        + "citizen-reports");
    }

    @Test
    void configuredServicesReplaceTheDefaultsAndInstancesGetTheirOwnWebhook() throws Exception {
        CitizenReportsAdapter custom = (CitizenReportsAdapter) factory.create(configuration("helmond", Map.of(
                "municipality", "helmond", "category.lamp", "Straatverlichting", "group.lamp", "verlichting",
                "category.afval", "Afval, zwerfvuil en containers")));

        assertThat(custom.config().services().services()).containsOnlyKeys("lamp", "afval");
        assertThat(custom.config().services().service("afval").orElseThrow().name())
                .isEqualTo("Afval, zwerfvuil en containers");
        assertThat(custom.inbound()).isEqualTo(Inbound.webhook("citizen-reports-helmond"));
        assertThat(custom.config().jurisdictionId()).isEqualTo("helmond");
        assertThat(custom.config().namespace()).isEqualTo("nl.helmond.citizen");
        assertThatThrownBy(() -> custom.map(open311("service_code=boom&lat=51.48&long=5.66")))
                .hasMessageContaining("service_code: 'boom' is not one of this hub's services");
        assertThat(custom.map(open311("service_code=lamp&lat=51.48&long=5.66")).get(0).thingId().getNamespace())
                .isEqualTo("nl.helmond.citizen");
    }
}
