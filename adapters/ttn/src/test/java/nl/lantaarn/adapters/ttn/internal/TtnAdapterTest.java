package nl.lantaarn.adapters.ttn.internal;

import static nl.lantaarn.adapters.ttn.internal.TtnSamples.AIR;
import static nl.lantaarn.adapters.ttn.internal.TtnSamples.AIR_TOPIC;
import static nl.lantaarn.adapters.ttn.internal.TtnSamples.DOCS;
import static nl.lantaarn.adapters.ttn.internal.TtnSamples.DOCS_TOPIC;
import static nl.lantaarn.adapters.ttn.internal.TtnSamples.PEOPLE;
import static nl.lantaarn.adapters.ttn.internal.TtnSamples.PEOPLE_TOPIC;
import static nl.lantaarn.adapters.ttn.internal.TtnSamples.REAL_TOPIC;
import static nl.lantaarn.adapters.ttn.internal.TtnSamples.SOUND;
import static nl.lantaarn.adapters.ttn.internal.TtnSamples.SOUND_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PayloadRejectedException;
import nl.lantaarn.adapter.api.SensorAdapter;
import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.things.model.ThingUpdate;

class TtnAdapterTest {

    private static final Instant ARRIVED = Instant.parse("2026-11-23T21:14:06Z");
    private static final Map<String, Object> DOCS_MAPPING = Map.of(
            "mapping.app1.temperature", "environment:weather.temperature:\u00b0C",
            "mapping.app1.luminosity", "environment:light.luminosity");

    private static SensorAdapter adapter(Map<String, ?> properties) throws AdapterConfigurationException {
        return new TtnAdapterFactory().create(new AdapterConfiguration("ttn", "default", properties));
    }

    private static SensorAdapter defaultAdapter() throws AdapterConfigurationException {
        return new TtnAdapterFactory().create(TtnSamples.defaultConfiguration());
    }

    private static InboundMessage message(String topic, String json) {
        return new InboundMessage(topic, json.getBytes(StandardCharsets.UTF_8), ARRIVED);
    }

    private static String edit(String sample, String pointer, JsonValue value) {
        return JsonObject.of(TtnSamples.text(sample)).setValue(JsonPointer.of(pointer), value).toString();
    }

    private static String without(String sample, String pointer) {
        return JsonObject.of(TtnSamples.text(sample)).remove(JsonPointer.of(pointer)).toString();
    }

    private static JsonValue decoded(String sample, String pointer) {
        return JsonObject.of(TtnSamples.text(sample)).getValue(JsonPointer.of("uplink_message/decoded_payload/"
                + pointer)).orElseThrow();
    }

    @Test
    void mapsTheDocumentedUplink() throws Exception {
        List<ThingUpdate> updates = adapter(DOCS_MAPPING).map(message(DOCS_TOPIC, TtnSamples.text(DOCS)));

        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).thingId().toString()).isEqualTo("nl.demo.environment:app1-dev1");
        assertThat(updates.get(0).patch()).isEqualTo(JsonObject.of("""
                {"attributes":{"adapter":"ttn","simulated":false,
                   "lorawan":{"applicationId":"app1","deviceId":"dev1","devEui":"0004A30B001C0530"},
                   "vendor":"the-things-products","model":"the-things-uno",
                   "location":{"type":"Point","coordinates":[23.72678801175413,37.97155556731436]}},
                 "features":{
                   "weather":{"properties":{"temperature":1.0,"units":{"temperature":"\u00b0C"},
                     "measuredAt":"2020-02-12T15:15:45.789585559Z"}},
                   "light":{"properties":{"luminosity":0.64,"measuredAt":"2020-02-12T15:15:45.789585559Z"}}}}
                """));
        assertThat(HubConventions.validate(ThingsModelFactory.newThing(updates.get(0).patch()
                .setValue("thingId", updates.get(0).thingId().toString())))).isEmpty();
    }

    @Test
    void defaultConfigurationMapsTheSimulatedSoundMeter() throws Exception {
        List<ThingUpdate> updates = defaultAdapter().map(message(SOUND_TOPIC, TtnSamples.text(SOUND)));

        assertThat(updates).hasSize(1);
        ThingUpdate update = updates.get(0);
        assertThat(update.thingId().toString()).isEqualTo("nl.demo.safety:eindhoven-sound-ers-sound-1");
        JsonObject noise = update.patch().getValue(JsonPointer.of("features/noise")).orElseThrow().asObject();
        assertThat(noise.getValue("definition").orElseThrow().toString())
                .isEqualTo("[\"org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0\"]");
        assertThat(noise.getValue("properties/laeq")).contains(decoded(SOUND, "soundAvg"));
        assertThat(noise.getValue("properties/lamax")).contains(decoded(SOUND, "soundPeak"));
        assertThat(noise.getValue("properties/units")).contains(JsonObject.of("{\"laeq\":\"dB(A)\",\"lamax\":\"dB(A)\"}"));
        assertThat(noise.getValue("properties/measuredAt")).contains(JsonValue.of("2026-11-23T21:14:05.468123Z"));
        assertThat(noise.getValue("properties/temperature")).as("fields that are not mapped are not stored").isEmpty();
        assertThat(update.patch().getValue("attributes/simulated")).contains(JsonValue.of(true));
        assertThat(update.patch().getValue("attributes/vendor")).contains(JsonValue.of("elsys"));
        assertThat(update.patch().getValue("attributes/location/type")).contains(JsonValue.of("Point"));
    }

    @Test
    void defaultConfigurationMapsTheSimulatedPeopleCounterAndAirSensor() throws Exception {
        SensorAdapter adapter = defaultAdapter();

        ThingUpdate people = adapter.map(message(PEOPLE_TOPIC, TtnSamples.text(PEOPLE))).get(0);
        ThingUpdate air = adapter.map(message(AIR_TOPIC, TtnSamples.text(AIR))).get(0);

        assertThat(people.thingId().toString()).isEqualTo("nl.demo.crowd:eindhoven-people-vs133-1");
        assertThat(people.patch().getValue("features/crowd/properties/peopleIn"))
                .contains(decoded(PEOPLE, "line_1_period_in"));
        assertThat(people.patch().getValue("features/crowd/properties/peopleOut"))
                .contains(decoded(PEOPLE, "line_1_period_out"));
        assertThat(people.patch().getValue("features/crowd/properties/units/peopleIn")).contains(JsonValue.of("people"));
        assertThat(air.thingId().toString()).isEqualTo("nl.demo.environment:eindhoven-air-dl-pm-1");
        assertThat(air.patch().getValue("features/airQuality/properties/pm25"))
                .contains(decoded(AIR, "pm2_5_mass_concentration/value"));
        assertThat(air.patch().getValue("features/airQuality/properties/relativeHumidity"))
                .contains(decoded(AIR, "air_humidity/value"));
        assertThat(air.patch().getValue("features/airQuality/properties/units/pm25"))
                .contains(JsonValue.of("\u00b5g/m\u00b3"));
        assertThat(air.patch().getValue("features/airQuality/definition").orElseThrow().toString())
                .isEqualTo("[\"org.fiware.smartdatamodels:AirQualityObserved:1.0.0\"]");
    }

    @Test
    void theSameFrameCounterTwiceChangesTheTwinOnce() throws Exception {
        SensorAdapter adapter = defaultAdapter();
        String uplink = TtnSamples.text(SOUND);

        assertThat(adapter.map(message(SOUND_TOPIC, uplink))).hasSize(1);
        assertThat(adapter.map(message(SOUND_TOPIC, uplink))).isEmpty();
        assertThat(adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/f_cnt", JsonValue.of(2)))))
                .hasSize(1);
        assertThat(adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/f_cnt", JsonValue.of(2))))).isEmpty();
        assertThat(adapter.map(message(SOUND_TOPIC, uplink))).as("a late copy of an older uplink").isEmpty();
    }

    @Test
    void aFarLowerFrameCounterIsADeviceResetAndANewSessionStartsAgain() throws Exception {
        SensorAdapter adapter = adapter(Map.of("mapping.eindhoven-sound.soundAvg", "safety:noise.laeq",
                "duplicates.resetGap", "10"));

        assertThat(adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/f_cnt", JsonValue.of(500)))))
                .hasSize(1);
        assertThat(adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/f_cnt", JsonValue.of(491)))))
                .as("9 below: a late copy").isEmpty();
        assertThat(adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/f_cnt", JsonValue.of(490)))))
                .as("10 below: reset").hasSize(1);
        assertThat(adapter.map(message(SOUND_TOPIC, without(SOUND, "uplink_message/f_cnt"))))
                .as("f_cnt 0, left out as The Things Stack does, after a reset").hasSize(1);
        assertThat(adapter.map(message(SOUND_TOPIC, without(SOUND, "uplink_message/f_cnt")))).isEmpty();
        String rejoined = JsonObject.of(without(SOUND, "uplink_message/f_cnt"))
                .setValue(JsonPointer.of("uplink_message/session_key_id"), JsonValue.of("AXA50tHUGUucuzS/bCGMNw=="))
                .toString();
        assertThat(adapter.map(message(SOUND_TOPIC, rejoined))).as("new session after a join").hasSize(1);
    }

    @Test
    void aRejectedUplinkDoesNotCountAsSeen() throws Exception {
        SensorAdapter adapter = defaultAdapter();
        String badLocation = edit(SOUND, "uplink_message/locations/user/latitude", JsonValue.of(95));

        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, badLocation)))
                .hasMessageContaining("uplink_message.locations.user").hasMessageContaining("latitude 95.0");
        assertThat(adapter.map(message(SOUND_TOPIC, TtnSamples.text(SOUND)))).hasSize(1);
    }

    @Test
    void devicesAreCountedApart() throws Exception {
        SensorAdapter adapter = defaultAdapter();
        String other = edit(SOUND, "end_device_ids/device_id", JsonValue.of("ers-sound-2"));

        assertThat(adapter.map(message(SOUND_TOPIC, TtnSamples.text(SOUND)))).hasSize(1);
        assertThat(adapter.map(message("v3/eindhoven-sound@ttn/devices/ers-sound-2/up", other))).hasSize(1)
                .extracting(u -> u.thingId().getName()).containsExactly("eindhoven-sound-ers-sound-2");
    }

    @Test
    void anUplinkWithoutDecodedPayloadIsRejectedWithTheReason() throws Exception {
        SensorAdapter adapter = adapter(Map.of("mapping.application-tts-name.soundAvg", "safety:noise.laeq"));

        for (String real : List.of(TtnSamples.REAL_SOUND, TtnSamples.REAL_PEOPLE, TtnSamples.REAL_PARKING)) {
            assertThatThrownBy(() -> adapter.map(message(REAL_TOPIC, TtnSamples.text(real))))
                    .isInstanceOf(PayloadRejectedException.class)
                    .hasMessageStartingWith("field 'uplink_message.decoded_payload' is missing: set an uplink payload "
                            + "formatter for application 'application-tts-name'");
        }
    }

    @Test
    void anApplicationWithoutMappingIsRejectedNamingTheKeyToAdd() throws Exception {
        SensorAdapter adapter = defaultAdapter();

        assertThatThrownBy(() -> adapter.map(message(DOCS_TOPIC, TtnSamples.text(DOCS))))
                .isInstanceOf(PayloadRejectedException.class)
                .hasMessage("application 'app1' has no mapping: add mapping.app1.<decodedField> = "
                        + "<domain>:<feature>.<property>[:<unit>] to etc/nl.lantaarn.adapter.ttn~default.cfg");
        SensorAdapter named = new TtnAdapterFactory().create(new AdapterConfiguration("ttn", "eindhoven", Map.of()));
        assertThatThrownBy(() -> named.map(message(DOCS_TOPIC, TtnSamples.text(DOCS))))
                .hasMessageEndingWith("to etc/nl.lantaarn.adapter.ttn~eindhoven.cfg");
    }

    @Test
    void theSimulatedFlagIsAnAttribute() throws Exception {
        SensorAdapter adapter = defaultAdapter();

        ThingUpdate real = adapter.map(message(SOUND_TOPIC, without(SOUND, "simulated"))).get(0);
        assertThat(real.patch().getValue("attributes/simulated")).contains(JsonValue.of(false));
        String simulated = edit(SOUND, "uplink_message/f_cnt", JsonValue.of(7));
        assertThat(adapter.map(message(SOUND_TOPIC, simulated)).get(0).patch().getValue("attributes/simulated"))
                .contains(JsonValue.of(true));
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "simulated", JsonValue.of("yes")))))
                .hasMessage("field 'simulated' must be true or false, was a string");
    }

    @Test
    void onlyUplinksAreMapped() throws Exception {
        SensorAdapter adapter = adapter(DOCS_MAPPING);

        assertThatThrownBy(() -> adapter.map(message("v3/app1@tenant1/devices/dev1/down/ack",
                TtnSamples.text(TtnSamples.DOWNLINK_ACK))))
                .hasMessageStartingWith("field 'uplink_message' is missing: only uplink messages can be mapped");
    }

    @Test
    void theTopicMustNameTheDeviceOfThePayload() throws Exception {
        SensorAdapter adapter = defaultAdapter();

        assertThatThrownBy(() -> adapter.map(message("v3/eindhoven-sound@ttn/devices/ers-sound-9/up",
                TtnSamples.text(SOUND))))
                .hasMessage("field 'end_device_ids.device_id' is 'ers-sound-1' but the topic names device 'ers-sound-9'");
        assertThatThrownBy(() -> adapter.map(message("v3/eindhoven-air@ttn/devices/ers-sound-1/up",
                TtnSamples.text(SOUND))))
                .hasMessageContaining("but the topic names application 'eindhoven-air'");
        assertThat(adapter.map(message("replay/sound.json", edit(SOUND, "uplink_message/f_cnt", JsonValue.of(9)))))
                .as("another topic layout: the payload's ids count").hasSize(1);
    }

    @Test
    void rejectsMalformedFieldsNamingThem() throws Exception {
        SensorAdapter adapter = defaultAdapter();

        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/f_cnt",
                JsonValue.of("7")))))
                .hasMessage("field 'uplink_message.f_cnt' must be a number, was a string");
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/f_cnt",
                JsonValue.of(4294967296L)))))
                .hasMessage("field 'uplink_message.f_cnt' must be a whole number from 0 to 4294967295, was 4294967296");
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/decoded_payload/soundAvg",
                JsonValue.of(1e300)))))
                .hasMessageStartingWith("field 'uplink_message.decoded_payload.soundAvg' "
                        + "(mapping.eindhoven-sound.soundAvg) must be a number between -1e15 and 1e15");
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/decoded_payload/soundAvg",
                JsonObject.of("{\"value\":60}")))))
                .hasMessageContaining("must be a number, boolean or string, was an object; map a field inside it "
                        + "with '/', e.g. soundAvg/value");
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "uplink_message/decoded_payload",
                JsonValue.of("AQDi")))))
                .hasMessage("field 'uplink_message.decoded_payload' must be an object, was a string");
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "received_at", JsonValue.of("today")))))
                .hasMessageStartingWith("field 'received_at' must be an ISO-8601 UTC time");
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "end_device_ids/device_id",
                JsonValue.of("a b")))))
                .hasMessageStartingWith("field 'end_device_ids.device_id' must be 1-64 letters");
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, without(SOUND, "end_device_ids"))))
                .hasMessage("field 'end_device_ids' is missing");
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, edit(SOUND, "end_device_ids/dev_eui",
                JsonValue.of("zz")))))
                .hasMessage("field 'end_device_ids.dev_eui' must be 16 hexadecimal digits, was 'zz'");
    }

    @Test
    void anUplinkWithNoneOfTheMappedFieldsIsRejected() throws Exception {
        SensorAdapter adapter = adapter(Map.of("mapping.eindhoven-sound.laeq", "safety:noise.laeq"));

        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, TtnSamples.text(SOUND))))
                .hasMessageStartingWith("field 'uplink_message.decoded_payload' has none of the fields mapped for "
                        + "application 'eindhoven-sound' [laeq]; it has [humidity,");
    }

    @Test
    void anApplicationMappedToTwoDomainsMakesTwoThings() throws Exception {
        SensorAdapter adapter = adapter(Map.of(
                "mapping.eindhoven-sound.soundAvg", "safety:noise.laeq:dB(A)",
                "mapping.eindhoven-sound.temperature", "environment:weather.temperature:\u00b0C",
                "mapping.eindhoven-sound.missing", "environment:weather.pressure:hPa"));

        List<ThingUpdate> updates = adapter.map(message(SOUND_TOPIC, TtnSamples.text(SOUND)));

        assertThat(updates).extracting(u -> u.thingId().toString()).containsExactlyInAnyOrder(
                "nl.demo.safety:eindhoven-sound-ers-sound-1", "nl.demo.environment:eindhoven-sound-ers-sound-1");
        ThingUpdate weather = updates.stream().filter(u -> u.thingId().getNamespace().endsWith("environment"))
                .findFirst().orElseThrow();
        assertThat(weather.patch().getValue("features/weather/properties/temperature"))
                .contains(decoded(SOUND, "temperature"));
        assertThat(weather.patch().getValue("features/weather/properties/pressure"))
                .as("a mapped field the uplink does not have").isEmpty();
        assertThat(weather.patch().getValue("features/weather/properties/units"))
                .contains(JsonObject.of("{\"temperature\":\"\u00b0C\"}"));
    }

    @Test
    void aParkingSensorWithAFormatterMapsToTrafficWithABoolean() throws Exception {
        // the recorded Bosch uplink, as it arrives once the application has the vendor's payload formatter
        String parking = edit(TtnSamples.REAL_PARKING, "uplink_message/decoded_payload",
                JsonObject.of("{\"occupied\":true,\"temperature\":18}"));
        SensorAdapter adapter = adapter(Map.of("mapping.application-tts-name.occupied", "traffic:parking.occupied"));

        ThingUpdate update = adapter.map(message(REAL_TOPIC, parking)).get(0);

        assertThat(update.thingId().toString()).isEqualTo("nl.demo.traffic:application-tts-name-eui-1000000000000001");
        assertThat(update.patch().getValue("features/parking")).contains(JsonObject.of("""
                {"properties":{"occupied":true,"measuredAt":"2023-05-19T05:33:35.641841782Z"}}"""));
        assertThat(update.patch().getValue("attributes/location")).as("no device location, no gateway location")
                .isEmpty();
    }

    @Test
    void gatewayLocationOnlyWhenAskedFor() throws Exception {
        String air = edit(TtnSamples.REAL_AIR, "uplink_message/decoded_payload", JsonObject.of("{\"pm2_5\":3.9}"));
        String topic = "v3/test-decentlab@ttn/devices/03022/up";
        Map<String, Object> properties = new HashMap<>(Map.of("mapping.test-decentlab.pm2_5",
                "environment:airQuality.pm25"));

        ThingUpdate without = adapter(properties).map(message(topic, air)).get(0);
        properties.put("location.gateways", "true");
        ThingUpdate with = adapter(properties).map(message(topic, air)).get(0);

        assertThat(without.patch().getValue("attributes/location")).isEmpty();
        assertThat(with.patch().getValue("attributes/location")).contains(JsonObject.of(
                "{\"type\":\"Point\",\"coordinates\":[-4.052632749080659,52.71863806169478]}"));
        assertThat(with.patch().getValue("features/airQuality/properties/measuredAt"))
                .contains(JsonValue.of("2020-02-06T09:46:05.234172599Z"));
    }

    @Test
    void timesFallBackToTheApplicationServerAndThenToArrival() throws Exception {
        SensorAdapter adapter = defaultAdapter();
        String noNetworkTime = without(SOUND, "uplink_message/received_at");

        assertThat(adapter.map(message(SOUND_TOPIC, noNetworkTime)).get(0).patch()
                .getValue("features/noise/properties/measuredAt"))
                .contains(JsonValue.of("2026-11-23T21:14:05.678123Z"));
        String noTime = JsonObject.of(without(SOUND, "received_at")).remove(JsonPointer.of("uplink_message/received_at"))
                .setValue(JsonPointer.of("uplink_message/f_cnt"), JsonValue.of(5)).toString();
        assertThat(adapter.map(message(SOUND_TOPIC, noTime)).get(0).patch()
                .getValue("features/noise/properties/measuredAt")).contains(JsonValue.of(ARRIVED.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "laeq=72", "[1,2]", "{\"end_device_ids\":", "\u0000\u0001"})
    void rejectsWhatIsNotAnUplinkObject(String payload) throws Exception {
        assertThatThrownBy(() -> defaultAdapter().map(message(SOUND_TOPIC, payload)))
                .isInstanceOf(PayloadRejectedException.class);
    }

    @Test
    void rejectsInvalidUtf8AndDeepNestingBeforeParsing() throws Exception {
        SensorAdapter adapter = defaultAdapter();
        byte[] invalid = TtnSamples.bytes(SOUND).clone();
        invalid[20] = (byte) 0xC3;
        invalid[21] = (byte) 0x28;

        assertThatThrownBy(() -> adapter.map(new InboundMessage(SOUND_TOPIC, invalid, ARRIVED)))
                .hasMessageStartingWith("payload is not UTF-8 text");
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        assertThatThrownBy(() -> adapter.map(message(SOUND_TOPIC, deep)))
                .hasMessageStartingWith("payload nests JSON objects and arrays more than 32 deep");
        String deepInString = edit(SOUND, "correlation_ids/0", JsonValue.of("[".repeat(100)));
        assertThat(adapter.map(message(SOUND_TOPIC, deepInString))).as("brackets inside strings").hasSize(1);
    }

    @Test
    void inboundIsTheConfiguredTopicAtQos1() throws Exception {
        assertThat(defaultAdapter().inbound().source()).isEqualTo("v3/+/devices/+/up");
        assertThat(defaultAdapter().inbound().qos()).isEqualTo(1);
        assertThat(adapter(Map.of("topic", "v3/city@ttn/devices/+/up")).inbound().source())
                .isEqualTo("v3/city@ttn/devices/+/up");
    }
}
