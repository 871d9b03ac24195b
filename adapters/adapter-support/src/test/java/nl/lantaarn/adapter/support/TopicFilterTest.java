package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.adapter.api.PayloadRejectedException;

class TopicFilterTest {

    private static final String EXAMPLE = "sound/+/events";

    @Test
    void theFirstPlusLevelNamesTheSensor() throws Exception {
        TopicFilter filter = TopicFilter.parse("topic", "sound/+/events", EXAMPLE);

        assertThat(filter.sensorLevel("sound/se-1/events")).contains("se-1");
        assertThat(filter.sensorLevel("sound/se-1/other")).isEmpty();
        assertThat(filter.sensorLevel("sound/se-1/events/x")).isEmpty();
        assertThat(filter.sensorLevel("sound//events")).isEmpty();
    }

    @Test
    void multiLevelWildcardsAndSharedSubscriptions() throws Exception {
        assertThat(TopicFilter.parse("topic", "city/+/sound/#", EXAMPLE).sensorLevel("city/se-2/sound/a/b"))
                .contains("se-2");
        assertThat(TopicFilter.parse("topic", "city/+/sound/#", EXAMPLE).sensorLevel("city/se-2")).isEmpty();
        assertThat(TopicFilter.parse("topic", "$share/g/sound/+/events", EXAMPLE).sensorLevel("sound/se-3/events"))
                .contains("se-3");
        assertThat(TopicFilter.parse("topic", "$share/g/sound/+/events", EXAMPLE).filter())
                .isEqualTo("$share/g/sound/+/events");
        assertThat(TopicFilter.parse("topic", "sound/#", EXAMPLE).sensorLevel("sound/se-3/events")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "crowd/#/x|'crowd/#/x' is not a valid MQTT topic filter: '#' must be a whole level and the last one, e.g. sound/#",
        "crowd/c+/x|'crowd/c+/x' is not a valid MQTT topic filter: '+' must be a whole level, e.g. sound/+/events",
        "$share/crowd|'$share/crowd' is not a valid shared subscription: expected $share/<group>/<filter>",
        "$share//crowd/+|'$share//crowd/+' is not a valid shared subscription"})
    void anInvalidFilterIsRefusedNamingTheKey(String filter, String message) {
        assertThatThrownBy(() -> TopicFilter.parse("source", filter, EXAMPLE))
                .isInstanceOfSatisfying(AdapterConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo("source"))
                .hasMessageStartingWith("source: " + message);
    }

    @Test
    void aFilterLongerThan1024CharactersIsRefused() {
        assertThatThrownBy(() -> TopicFilter.parse("topic", "a/".repeat(512) + "+", EXAMPLE))
                .hasMessage("topic: must be an MQTT topic filter of at most 1024 characters");
    }

    @Test
    void theSensorIsTheFieldOrTheTopicLevelAndBothMustAgree() throws Exception {
        TopicFilter filter = TopicFilter.parse("topic", "sound/+/events", EXAMPLE);
        JsonObject named = JsonObject.of("{\"sensorId\":\"se-1\"}");

        assertThat(filter.sensorId(named, "sensorId", "sound/se-1/events")).isEqualTo("se-1");
        assertThat(filter.sensorId(named, "sensorId", "elsewhere")).isEqualTo("se-1");
        assertThat(filter.sensorId(JsonObject.empty(), "sensorId", "sound/se-2/events")).isEqualTo("se-2");
        assertThatThrownBy(() -> filter.sensorId(named, "sensorId", "sound/se-9/events"))
                .isInstanceOf(PayloadRejectedException.class)
                .hasMessage("field 'sensorId' is 'se-1' but the topic sound/se-9/events is that of sensor 'se-9'");
        assertThatThrownBy(() -> filter.sensorId(JsonObject.empty(), "sensorId", "other/topic"))
                .hasMessage("field 'sensorId' is missing and topic other/topic has no sensor level (topic filter "
                        + "sound/+/events)");
        assertThatThrownBy(() -> filter.sensorId(JsonObject.empty(), "sensorId", "sound/se 1/events"))
                .hasMessageStartingWith("the sensor level of topic sound/se 1/events must be 1-64 letters");
        assertThatThrownBy(() -> filter.sensorId(JsonObject.of("{\"sensorId\":7}"), "sensorId", "x"))
                .hasMessage("field 'sensorId' must be a string, was a number");
    }
}
