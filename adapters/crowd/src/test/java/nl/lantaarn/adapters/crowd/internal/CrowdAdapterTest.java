package nl.lantaarn.adapters.crowd.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.FeatureDefinitions;
import nl.lantaarn.things.model.ThingUpdate;

class CrowdAdapterTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-24T12:00:00Z");
    private static final String TOPIC = "crowd/cc-7/counts";
    private static final String COUNTS_ONLY = "the crowd adapter accepts counts only, never a device or person "
            + "identifier (MAC address, track id, face or plate): tracking people by such identifiers is unlawful in "
            + "the Netherlands";

    private final CrowdAdapterFactory factory = new CrowdAdapterFactory();

    private SensorAdapter adapter(Map<String, ?> properties) throws AdapterConfigurationException {
        return factory.create(new AdapterConfiguration("crowd", "default", properties));
    }

    private static List<ThingUpdate> map(SensorAdapter adapter, String topic, String payload)
            throws PayloadRejectedException {
        return adapter.map(new InboundMessage(topic, payload.getBytes(StandardCharsets.UTF_8), RECEIVED));
    }

    private ThingUpdate map(String payload) throws Exception {
        List<ThingUpdate> updates = map(adapter(Map.of()), TOPIC, payload);
        assertThat(updates).hasSize(1);
        return updates.get(0);
    }

    private static JsonObject crowd(ThingUpdate update) {
        return update.patch().getValue("features/crowd/properties").orElseThrow().asObject();
    }

    private void assertRejected(String payload, String... reasonParts) {
        assertThatThrownBy(() -> map(adapter(Map.of()), TOPIC, payload))
                .isInstanceOf(PayloadRejectedException.class)
                .message().contains(reasonParts);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CrowdAdapterTest.class.getResourceAsStream("/samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String counter(String extra) {
        return "{\"sensorId\":\"cc-7\",\"count\":142" + extra + ",\"observedAt\":\"2026-11-24T11:55:00Z\"}";
    }

    // --- the counter JSON ---

    @Test
    void mapsACounterReportWithDensityFromTheArea() throws Exception {
        ThingUpdate update = map(counter(",\"areaM2\":400,\"direction\":\"inbound\",\"technology\":\"camera\","
                + "\"lat\":51.43925,\"lon\":5.47985"));

        assertThat(update.thingId().toString()).isEqualTo("nl.demo.crowd:crowd-cc-7");
        assertThat(update.patch()).isEqualTo(JsonObject.of("""
                {"attributes":{"adapter":"crowd","location":{"type":"Point","coordinates":[5.47985,51.43925]},
                   "technology":"camera"},
                 "features":{"crowd":{"definition":["org.fiware.smartdatamodels:CrowdFlowObserved:1.0.0"],
                   "properties":{"count":142,"density":0.355,"direction":"inbound","distancingRisk":"low",
                     "observedAt":"2026-11-24T11:55:00Z","countTowards":null,"countAway":null,"occupancy":null,
                     "congested":null,"averageHeadwayTime":null,"averageCrowdSpeed":null,
                     "units":{"density":"persons/m²","averageHeadwayTime":"s","averageCrowdSpeed":"km/h"}}}}}
                """));
    }

    @ParameterizedTest
    @CsvSource({"0,safe", "0.19,safe", "0.2,low", "0.49,low", "0.5,high", "2.4,high"})
    void theDistancingRiskFollowsTheDensity(double density, String risk) throws Exception {
        ThingUpdate update = map(counter(",\"density\":" + density + ",\"distancingRisk\":\"safe\""));

        assertThat(crowd(update).getValue("distancingRisk").orElseThrow().asString()).isEqualTo(risk);
        assertThat(crowd(update).getValue("density").orElseThrow().asDouble()).isEqualTo(density);
    }

    @Test
    void theCountersOwnRiskIsUsedOnlyWithoutADensity() throws Exception {
        assertThat(crowd(map(counter(",\"distancingRisk\":\"HIGH\""))).getValue("distancingRisk"))
                .contains(JsonValue.of("high"));
        JsonObject bare = crowd(map(counter("")));
        assertThat(bare.getValue("distancingRisk")).contains(JsonValue.nullLiteral());
        assertThat(bare.getValue("density")).contains(JsonValue.nullLiteral());
        assertThat(bare.getValue("direction")).contains(JsonValue.nullLiteral());
    }

    @Test
    void riskThresholdsAreConfigurable() throws Exception {
        SensorAdapter adapter = adapter(Map.of("lowRiskDensity", "0.1", "highRiskDensity", "0.3"));

        ThingUpdate update = map(adapter, TOPIC, counter(",\"density\":0.31")).get(0);
        assertThat(crowd(update).getValue("distancingRisk")).contains(JsonValue.of("high"));
    }

    @Test
    void theSensorComesFromTheTopicAndMustMatchIt() throws Exception {
        assertThat(map(counter("").replace("\"sensorId\":\"cc-7\",", "")).thingId().getName())
                .isEqualTo("crowd-cc-7");
        assertRejected(counter("").replace("cc-7", "cc-8"), "field 'sensorId' is 'cc-8'",
                "topic crowd/cc-7/counts is that of sensor 'cc-7'");
    }

    @Test
    void theObservationTimeDefaultsToArrival() throws Exception {
        ThingUpdate update = map("{\"count\":3}");

        assertThat(crowd(update).getValue("observedAt")).contains(JsonValue.of("2026-11-24T12:00:00Z"));
    }

    @Test
    void counterFieldsAreCheckedByName() {
        assertRejected("{\"sensorId\":\"cc-7\"}", "field 'count' is missing");
        assertRejected(counter("").replace("142", "-1"), "field 'count' must be a whole number from 0 to 1000000",
                "was -1");
        assertRejected(counter("").replace("142", "14.5"), "field 'count' must be a whole number", "was 14.5");
        assertRejected(counter("").replace("142", "\"many\""), "field 'count' must be a number");
        assertRejected(counter(",\"density\":12"), "field 'density' must be between 0 and 10 persons/m², was 12");
        assertRejected(counter(",\"areaM2\":0"), "field 'areaM2' must be an area of more than 0");
        assertRejected(counter(",\"areaM2\":10"), "fields 'count'/'areaM2' give a density of 14.2 persons/m²");
        assertRejected(counter(",\"direction\":\"north\""), "field 'direction' must be inbound or outbound",
                "was 'north'");
        assertRejected(counter(",\"distancingRisk\":\"medium\""),
                "field 'distancingRisk' must be one of safe, low, high, was 'medium'");
        assertRejected(counter(",\"technology\":\"sonar\""),
                "field 'technology' must be one of camera, wifi, bluetooth, radar, infrared, lidar, thermal");
        assertRejected(counter(",\"lon\":5.4"), "fields 'lat' and 'lon' must be given together");
        assertRejected(counter("").replace("2026-11-24T11:55:00Z", "2026-11-24T12:06:00Z"),
                "field 'observedAt' is 2026-11-24T12:06:00Z, later than its arrival", "check the counter's clock");
        assertRejected("[1,2]", "payload must be a JSON object, was an array");
    }

    // --- FIWARE CrowdFlowObserved ---

    @Test
    void mapsTheFiwareNgsiV2Example() throws Exception {
        ThingUpdate update = map(resource("fiware/CrowdFlowObserved.keyvalues.ngsiv2.json"));

        assertThat(update.thingId().toString()).isEqualTo("nl.demo.crowd:crowd-Valladolid_1");
        assertThat(update.patch().getValue("features/crowd/definition").orElseThrow().asArray())
                .containsExactly(JsonValue.of(FeatureDefinitions.CROWD_FLOW_OBSERVED));
        JsonObject crowd = crowd(update);
        assertThat(crowd.getValue("count")).contains(JsonValue.of(100));
        assertThat(crowd.getValue("countTowards")).contains(JsonValue.of(50));
        assertThat(crowd.getValue("countAway")).contains(JsonValue.of(50));
        assertThat(crowd.getValue("averageHeadwayTime")).contains(JsonValue.of(5.0));
        assertThat(crowd.getValue("congested")).contains(JsonValue.of(false));
        assertThat(crowd.getValue("direction")).contains(JsonValue.of("inbound"));
        assertThat(crowd.getValue("observedAt")).contains(JsonValue.of("2018-08-07T11:15:00Z"));
        assertThat(crowd.getValue("density")).contains(JsonValue.nullLiteral());
        assertThat(crowd.getValue("distancingRisk")).contains(JsonValue.nullLiteral());
        // the LineString's three vertices, averaged
        JsonObject location = update.patch().getValue("attributes/location").orElseThrow().asObject();
        assertThat(location.getValue("coordinates").orElseThrow().asArray())
                .containsExactly(JsonValue.of(-4.7353261), JsonValue.of(41.6578209));
        assertThat(update.patch().getValue("attributes/technology")).isEmpty();
    }

    @Test
    void theNgsiLdFormIsTheSameEntity() throws Exception {
        ThingUpdate v2 = map(resource("fiware/CrowdFlowObserved.keyvalues.ngsiv2.json"));
        ThingUpdate ld = map(resource("fiware/CrowdFlowObserved.keyvalues.ngsild.jsonld"));

        assertThat(ld).isEqualTo(v2);
    }

    @Test
    void aNotificationGivesOneUpdatePerEntity() throws Exception {
        List<ThingUpdate> updates = map(adapter(Map.of()), "crowd/orion/counts",
                resource("fiware/notification-two-entities.CONSTRUCTED.json"));

        assertThat(updates).extracting(u -> u.thingId().toString())
                .containsExactly("nl.demo.crowd:crowd-stratumseind-north", "nl.demo.crowd:crowd-stratumseind-south");
        assertThat(crowd(updates.get(0)).getValue("observedAt")).contains(JsonValue.of("2026-11-24T11:55:00Z"));
        assertThat(crowd(updates.get(0)).getValue("occupancy")).contains(JsonValue.of(0.42));
        assertThat(crowd(updates.get(0)).getValue("averageCrowdSpeed")).contains(JsonValue.of(3.1));
        // the polygon's four corners, without the closing repetition of the first
        assertThat(updates.get(1).patch().getValue("attributes/location/coordinates").orElseThrow().asArray())
                .containsExactly(JsonValue.of(5.4812), JsonValue.of(51.43795));
        assertThat(map(adapter(Map.of()), "crowd/orion/counts", "{\"subscriptionId\":\"x\",\"data\":[]}")).isEmpty();
    }

    @Test
    void fiwareTimesWithoutAZoneAreUtcAndAnIntervalEndsTheObservation() throws Exception {
        ThingUpdate update = map("{\"id\":\"c-1\",\"type\":\"CrowdFlowObserved\",\"peopleCount\":4,"
                + "\"dateObserved\":\"2026-11-24T11:10:00/2026-11-24T11:15:00\"}");

        assertThat(crowd(update).getValue("observedAt")).contains(JsonValue.of("2026-11-24T11:15:00Z"));
        assertThat(update.thingId().getName()).isEqualTo("crowd-c-1");
    }

    @Test
    void fiwareFieldsAreCheckedByName() {
        String entity = "{\"id\":\"c-1\",\"type\":\"CrowdFlowObserved\",\"peopleCount\":4,"
                + "\"dateObserved\":\"2026-11-24T11:15:00Z\"%s}";
        assertRejected(entity.formatted("").replace("CrowdFlowObserved", "TrafficFlowObserved"),
                "field 'type' must be CrowdFlowObserved", "was 'TrafficFlowObserved'");
        assertRejected(entity.formatted("").replace("\"id\":\"c-1\",", ""), "field 'id' is missing");
        assertRejected(entity.formatted("").replace("\"peopleCount\":4",
                "\"peopleCount\":{\"type\":\"Property\",\"value\":4}"), "field 'peopleCount' is an object with a "
                + "'value': normalized NGSI is not accepted; send key-values");
        assertRejected(entity.formatted("").replace(",\"dateObserved\":\"2026-11-24T11:15:00Z\"", ""),
                "field 'dateObserved' is missing");
        assertRejected(entity.formatted("").replace("2026-11-24T11:15:00Z", "today"),
                "field 'dateObserved' must be an ISO-8601 time");
        assertRejected(entity.formatted(",\"dateObservedFrom\":\"11:10\""),
                "field 'dateObservedFrom' must be an ISO-8601 time");
        assertRejected(entity.formatted(",\"occupancy\":1.2"), "field 'occupancy' must be a fraction between 0 and 1");
        assertRejected(entity.formatted(",\"congested\":\"yes\""), "field 'congested' must be true or false");
        assertRejected(entity.formatted(",\"averageCrowdSpeed\":90"),
                "field 'averageCrowdSpeed' must be between 0 and 50 km/h, was 90.0");
        assertRejected(entity.formatted(",\"location\":{\"type\":\"Circle\",\"coordinates\":[5,51]}"),
                "field 'location' must be a GeoJSON Point, LineString, MultiPoint or Polygon, was 'Circle'");
        assertRejected(entity.formatted(",\"location\":{\"type\":\"Point\",\"coordinates\":[5]}"),
                "field 'location': a position must be [longitude, latitude]");
        assertRejected(entity.formatted(",\"location\":{\"type\":\"Point\",\"coordinates\":[5,95]}"),
                "latitude 95.0 is outside -90..90");
        assertRejected("{\"data\":[{\"id\":\"c-1\",\"type\":\"CrowdFlowObserved\",\"peopleCount\":4,"
                + "\"dateObserved\":\"2026-11-24T11:15:00Z\"},{\"type\":\"CrowdFlowObserved\"}]}",
                "data[1]: field 'id' is missing");
        assertRejected("{\"data\":{}}", "field 'data' must be an array of CrowdFlowObserved entities");
    }

    // --- counts only, never identifiers ---

    @ParameterizedTest
    @ValueSource(strings = {"mac", "MAC", "macAddress", "mac_address", "wifiMACs", "hashedMac", "bssid", "BSSIDs",
        "trackId", "track_id", "trackIds", "trackingID", "faceId", "face_ids", "faceEmbedding", "plate",
        "licensePlate", "numberPlates", "kenteken", "deviceId", "deviceIds", "device_ids", "visitorHash", "personId",
        "objectId", "userIds", "phoneId", "bluetoothAddress", "imei", "msisdn", "advertisingId"})
    void aFieldNamedForAnIdentifierIsRefused(String name) {
        assertRejected(counter(",\"" + name + "\":\"x\""), "field '" + name + "' is refused: its name suggests a "
                + "device or person identifier", COUNTS_ONLY);
    }

    @Test
    void identifierFieldsAreFoundAtAnyDepth() {
        assertRejected(counter(",\"detections\":[{\"count\":1},{\"zone\":\"a\",\"trackId\":7}]"),
                "field 'detections[1].trackId' is refused");
        assertRejected("{\"data\":[{\"id\":\"c-1\",\"type\":\"CrowdFlowObserved\",\"peopleCount\":4,"
                + "\"dateObserved\":\"2026-11-24T11:15:00Z\",\"seen\":{\"deviceIds\":[]}}]}",
                "field 'data[0].seen.deviceIds' is refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a4:5e:60:d2:19:0b", "A4-5E-60-D2-19-0B", "seen a4:5e:60:d2:19:0b at the gate",
        "00:11:22:33:44:55:66:77"})
    void aValueThatLooksLikeAMacAddressIsRefusedWithoutRepeatingIt(String value) {
        assertThatThrownBy(() -> map(adapter(Map.of()), TOPIC, counter(",\"note\":\"" + value + "\"")))
                .isInstanceOf(PayloadRejectedException.class)
                .hasMessage("field 'note' holds a value that looks like a MAC address; " + COUNTS_ONLY)
                // the dead letter must not keep the identifier the adapter refused
                .matches(e -> ((PayloadRejectedException) e).payloadWithheld(), "payload withheld");
        assertRejected(counter(",\"notes\":[\"ok\",\"" + value + "\"]"), "field 'notes[1]' holds a value that looks "
                + "like a MAC address");
    }

    @Test
    void aFieldNameThatIsAMacAddressIsRefused() {
        assertRejected(counter(",\"perDevice\":{\"a4:5e:60:d2:19:0b\":3}"),
                "a field name in 'perDevice' looks like a MAC address");
    }

    @Test
    void countsAndOrdinaryValuesAreNotMistakenForIdentifiers() throws Exception {
        ThingUpdate update = map(counter(",\"deviceCount\":97,\"peopleCount\":3,\"firmware\":\"1.2.3\","
                + "\"window\":\"12:30:45\",\"surface\":\"paved\",\"subscriptionId\":\"5b2e\",\"trackCount\":4,"
                + "\"faceCount\":2,\"checksum\":\"a4:5e:60\""));
        assertThat(crowd(update).getValue("count")).contains(JsonValue.of(142));
    }

    // --- configuration and type ---

    @Test
    void defaultsAreTheDemoMunicipalityAndTopicCrowdPlusCounts() throws Exception {
        assertThat(adapter(Map.of()).inbound()).isEqualTo(Inbound.mqtt("crowd/+/counts", 1));
        SensorAdapter eindhoven = adapter(Map.of("municipality", "eindhoven", "topic", "counters/+/up"));
        assertThat(map(eindhoven, "counters/cc-7/up", counter("")).get(0).thingId().toString())
                .isEqualTo("nl.eindhoven.crowd:crowd-cc-7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "country|Nederland|country: must be a two-letter country code in lower case",
        "municipality|den_bosch|municipality: must be 1-63 lower-case letters, digits and dashes",
        "topic|crowd/#/x|topic: 'crowd/#/x' is not a valid MQTT topic filter",
        "lowRiskDensity|busy|lowRiskDensity: must be a number of persons per m², e.g. 0.2, was 'busy'",
        "lowRiskDensity|0|lowRiskDensity: must be more than 0 and at most 10 persons per m², was 0",
        "highRiskDensity|NaN|highRiskDensity: must be more than 0 and at most 10",
        "highRiskDensity|0.1|highRiskDensity: must be greater than lowRiskDensity (0.2), was 0.1"})
    void badConfigurationNamesTheField(String key, String value, String message) {
        assertThatThrownBy(() -> adapter(Map.of(key, value)))
                .isInstanceOfSatisfying(AdapterConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo(key))
                .hasMessageStartingWith(message);
    }

    @Test
    void theTypeIsCrowdWithoutPersonalData() {
        assertThat(factory.type().id()).isEqualTo("crowd");
        assertThat(factory.type().domains()).containsExactly("crowd");
        assertThat(factory.type().privacy().personalData()).isFalse();
        assertThat(factory.type().privacy().declares("/features/crowd/properties/distancingRisk")).isTrue();
        assertThat(factory.type().privacy().declares("/features/crowd/properties/trackId")).isFalse();
    }
}
