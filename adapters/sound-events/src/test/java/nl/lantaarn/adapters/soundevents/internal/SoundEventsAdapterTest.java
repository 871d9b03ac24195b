package nl.lantaarn.adapters.soundevents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
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
import nl.lantaarn.things.model.ThingUpdate;

class SoundEventsAdapterTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-23T23:41:10Z");
    private static final String TOPIC = "sound/se-12/events";

    private final SoundEventsAdapterFactory factory = new SoundEventsAdapterFactory();

    private SensorAdapter adapter(Map<String, ?> properties) throws AdapterConfigurationException {
        return factory.create(new AdapterConfiguration("sound-events", "default", properties));
    }

    private List<ThingUpdate> map(SensorAdapter adapter, String topic, String payload) throws PayloadRejectedException {
        return adapter.map(new InboundMessage(topic, payload.getBytes(StandardCharsets.UTF_8), RECEIVED));
    }

    private ThingUpdate map(String payload) throws Exception {
        List<ThingUpdate> updates = map(adapter(Map.of()), TOPIC, payload);
        assertThat(updates).hasSize(1);
        return updates.get(0);
    }

    private static String event(String extra) {
        return "{\"sensorId\":\"se-12\",\"eventType\":\"gunshot\",\"confidence\":0.91,\"peakDb\":112.5,"
                + "\"detectedAt\":\"2026-11-23T23:41:07.250Z\"" + extra + "}";
    }

    private void assertRejected(String payload, String... reasonParts) {
        assertThatThrownBy(() -> map(adapter(Map.of()), TOPIC, payload))
                .isInstanceOf(PayloadRejectedException.class)
                .message().contains(reasonParts);
    }

    @Test
    void mapsADetectionToTheFeatureOfItsEventType() throws Exception {
        ThingUpdate update = map(event(",\"count\":3,\"lat\":51.4397,\"lon\":5.4784"));

        assertThat(update.thingId().toString()).isEqualTo("nl.demo.safety:sound-se-12");
        assertThat(update.patch()).isEqualTo(JsonObject.of("""
                {"attributes":{"adapter":"sound-events","location":{"type":"Point","coordinates":[5.4784,51.4397]}},
                 "features":{"gunshot":{"definition":["nl.lantaarn:SoundEvent:1.0.0"],
                   "properties":{"confidence":0.91,"peakLevel":112.5,"detectedAt":"2026-11-23T23:41:07.250Z",
                     "count":3,"units":{"peakLevel":"dB(A)"}}}}}
                """));
    }

    @ParameterizedTest
    @CsvSource({"aggression,aggression", "gunshot,gunshot", "fireworks,fireworks", "glassBreaking,glassBreaking",
        "glass_breaking,glassBreaking", "GLASS-BREAKING,glassBreaking", "Glass Breaking,glassBreaking",
        "AGGRESSION,aggression"})
    void eachEventTypeHasItsOwnFeature(String eventType, String feature) throws Exception {
        ThingUpdate update = map(event("").replace("gunshot", eventType));

        JsonObject features = update.patch().getValue("features").orElseThrow().asObject();
        assertThat(features.getKeys()).extracting(Object::toString).containsExactly(feature);
    }

    @Test
    void anUnknownEventTypeIsRejectedNamingTheAcceptedTypes() {
        assertRejected(event("").replace("gunshot", "scream"), "field 'eventType'", "'scream'",
                "accepted: aggression, gunshot, fireworks, glassBreaking");
        assertRejected(event("").replace("\"eventType\":\"gunshot\",", ""), "field 'eventType' is missing",
                "accepted: aggression, gunshot, fireworks, glassBreaking");
    }

    @Test
    void countDefaultsToOneAndLocationIsOptional() throws Exception {
        ThingUpdate update = map(event(""));

        assertThat(update.patch().getValue("features/gunshot/properties/count").orElseThrow().asLong()).isEqualTo(1);
        assertThat(update.patch().getValue("attributes/location")).isEmpty();
        assertThat(update.patch().getValue("attributes/adapter").orElseThrow().asString()).isEqualTo("sound-events");
    }

    @Test
    void theSensorComesFromTheTopicWhenThePayloadDoesNotNameIt() throws Exception {
        ThingUpdate update = map(event("").replace("\"sensorId\":\"se-12\",", ""));

        assertThat(update.thingId().toString()).isEqualTo("nl.demo.safety:sound-se-12");
    }

    @Test
    void aSensorCannotSpeakForAnotherOnesTopic() {
        assertRejected(event("").replace("se-12", "se-99"), "field 'sensorId' is 'se-99'",
                "topic sound/se-12/events is that of sensor 'se-12'");
    }

    @Test
    void withoutASensorLevelInTheTopicThePayloadMustNameTheSensor() throws Exception {
        SensorAdapter adapter = adapter(Map.of("topic", "sound/events/#"));

        assertThat(map(adapter, "sound/events/x", event("")).get(0).thingId().getName()).isEqualTo("sound-se-12");
        assertThatThrownBy(() -> map(adapter, "sound/events/x", event("").replace("\"sensorId\":\"se-12\",", "")))
                .isInstanceOf(PayloadRejectedException.class)
                .hasMessageContaining("field 'sensorId' is missing and topic sound/events/x has no sensor level");
    }

    @Test
    void fieldsOutOfRangeAreRejectedByName() {
        assertRejected(event("").replace("0.91", "1.5"), "field 'confidence' must be between 0 and 1, was 1.5");
        assertRejected(event("").replace("0.91", "\"high\""), "field 'confidence' must be a number");
        assertRejected(event("").replace("112.5", "-3"), "field 'peakDb' must be a sound level between 0 and 200");
        assertRejected(event("").replace(",\"peakDb\":112.5", ""), "field 'peakDb' is missing");
        assertRejected(event(",\"count\":0"), "field 'count' must be a whole number from 1 to 1000", "was 0");
        assertRejected(event(",\"count\":2.5"), "field 'count' must be a whole number", "was 2.5");
        assertRejected(event(",\"lat\":51.44"), "fields 'lat' and 'lon' must be given together");
        assertRejected(event(",\"lat\":95,\"lon\":5.4"), "latitude 95.0 is outside -90..90");
        assertRejected(event("").replace("se-12\"", "se 12\"").replace("sensorId", "sensorId"),
                "field 'sensorId'");
    }

    @Test
    void theTimeOfDetectionIsRequiredAndMayNotLieInTheFuture() {
        assertRejected(event("").replace(",\"detectedAt\":\"2026-11-23T23:41:07.250Z\"", ""),
                "field 'detectedAt' is missing");
        assertRejected(event("").replace("2026-11-23T23:41:07.250Z", "yesterday"),
                "field 'detectedAt' must be an ISO-8601 UTC time");
        assertRejected(event("").replace("2026-11-23T23:41:07.250Z", "2026-11-23T23:47:00Z"),
                "field 'detectedAt' is 2026-11-23T23:47:00Z, later than its arrival", "check the sensor's clock");
    }

    @Test
    void aPayloadThatIsNotAJsonObjectIsRejected() {
        assertRejected("RIFF....WAVEfmt ", "payload is not JSON");
        assertRejected("[" + event("") + "]", "payload must be a JSON object, was an array");
    }

    // --- events only, never audio ---

    @ParameterizedTest
    @ValueSource(strings = {"audio", "recording", "recordings", "recordingUrl", "sample", "samples", "sampleRate",
        "wav", "wavData", "clip", "clip_id", "audioClip", "AUDIO", "Recording-Link", "mp3", "pcm", "waveform",
        "mediaUrl", "spectrogram"})
    void aFieldNamedForAudioIsRefused(String name) {
        assertRejected(event(",\"" + name + "\":\"x\""), "field '" + name + "' is refused", "never audio");
        // the dead letter must not keep what the adapter refused
        assertThatThrownBy(() -> map(adapter(Map.of()), TOPIC, event(",\"" + name + "\":\"x\"")))
                .matches(e -> ((PayloadRejectedException) e).payloadWithheld(), "payload withheld");
    }

    @Test
    void audioFieldsAreFoundAtAnyDepth() {
        assertRejected(event(",\"meta\":{\"vendor\":{\"audioClip\":\"x\"}}"), "field 'meta.vendor.audioClip'");
        assertRejected(event(",\"attachments\":[{\"name\":\"a\"},{\"recording\":1}]"),
                "field 'attachments[1].recording'");
        assertRejected(event(",\"meta\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":1}}}}}}}}"),
                "field 'meta.a.b.c.d.e.f.g' is nested deeper than 8 levels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://vendor.example/events/123", "HTTP://vendor.example/e", "rtsp://10.0.0.7/live",
        "s3://bucket/se-12/123", "see www.vendor.example/e/1", "data:audio/wav;base64,UklGRiQAAABXQVZF",
        "data:;base64,UklG", "ftp://x/y"})
    void aLinkIsRefusedWhateverItPointsAt(String value) {
        assertRejected(event(",\"ref\":\"" + value + "\""), "field 'ref' holds a link", "never audio");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evt-0001.wav", "EVT.MP3", "/var/spool/se-12/123.flac", "a.ogg", "b.m4a"})
    void aMediaFileNameIsRefused(String value) {
        assertRejected(event(",\"file\":\"" + value + "\""), "field 'file' names a media file");
    }

    @Test
    void encodedAudioIsRefused() {
        String base64 = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=".repeat(6);
        assertRejected(event(",\"payload\":\"" + base64 + "\""), "field 'payload' holds " + base64.length()
                + " characters of base64 or hex");
        String hex = "52494646".repeat(40);
        assertRejected(event(",\"blob\":\"" + hex + "\""), "field 'blob' holds 320 characters of base64 or hex");
        String samples = "[" + "12,-40,".repeat(50) + "0]";
        assertRejected(event(",\"data\":" + samples), "field 'data' is an array of 101 elements",
                "raw audio samples");
        String text = "word ".repeat(300);
        assertRejected(event(",\"note\":\"" + text + "\""), "field 'note' holds 1500 characters, at most 1024");
        String big = event(",\"note\":\"" + "x y ".repeat(5000) + "\"");
        assertRejected(big, "payload is " + big.length() + " bytes, at most 16384");
    }

    @Test
    void ordinaryValuesAreNotMistakenForAudio() throws Exception {
        ThingUpdate update = map(event(",\"firmware\":\"3.2.1\",\"note\":\"glass bottle on the kerb\","
                + "\"model\":\"AED-2000\",\"zone\":\"BU07720000\",\"checksum\":\"3f2a9c\",\"tags\":[\"night\"]"));
        assertThat(update.thingId().getName()).isEqualTo("sound-se-12");
    }

    // --- configuration ---

    @Test
    void defaultsAreTheDemoMunicipalityAndTopicSoundPlusEvents() throws Exception {
        assertThat(adapter(Map.of()).inbound()).isEqualTo(Inbound.mqtt("sound/+/events", 1));
    }

    @Test
    void countryMunicipalityAndTopicAreConfigurable() throws Exception {
        SensorAdapter adapter = adapter(Map.of("country", "be", "municipality", "gent", "topic",
                "$share/hub/vendor/x/+/detections"));

        assertThat(adapter.inbound()).isEqualTo(Inbound.mqtt("$share/hub/vendor/x/+/detections", 1));
        ThingUpdate update = map(adapter, "vendor/x/se-3/detections", event("").replace("se-12", "se-3")).get(0);
        assertThat(update.thingId().toString()).isEqualTo("be.gent.safety:sound-se-3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "country|NL|country: must be a two-letter country code in lower case",
        "country|nld|country: must be a two-letter country code",
        "municipality|Den Haag|municipality: must be 1-63 lower-case letters, digits and dashes",
        "topic|sound/#/events|topic: 'sound/#/events' is not a valid MQTT topic filter: '#' must be a whole level and the last one",
        "topic|sound/se+/events|topic: 'sound/se+/events' is not a valid MQTT topic filter: '+' must be a whole level",
        "topic|$share/sound|topic: '$share/sound' is not a valid shared subscription"})
    void badConfigurationNamesTheField(String key, String value, String message) {
        assertThatThrownBy(() -> adapter(Map.of(key, value)))
                .isInstanceOfSatisfying(AdapterConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo(key))
                .hasMessageStartingWith(message);
    }

    @Test
    void theManifestDeclaresEveryFeatureAndNoPersonalData() {
        var privacy = factory.type().privacy();

        assertThat(privacy.personalData()).isFalse();
        for (String feature : List.of("aggression", "gunshot", "fireworks", "glassBreaking")) {
            assertThat(privacy.declares("/features/" + feature + "/properties/confidence")).isTrue();
            assertThat(privacy.declares("/features/" + feature + "/properties/units/peakLevel")).isTrue();
        }
        assertThat(privacy.declares("/features/scream/properties/confidence")).isFalse();
        assertThat(factory.type().domains()).containsExactly("safety");
    }
}
