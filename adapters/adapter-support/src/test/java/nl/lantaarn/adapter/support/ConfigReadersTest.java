package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;

class ConfigReadersTest {

    private static AdapterConfiguration configuration(Map<String, String> properties) {
        return new AdapterConfiguration("test", "default", properties);
    }

    @Test
    void defaultsAreTheDemoMunicipalityInTheNetherlands() throws Exception {
        AdapterConfiguration empty = configuration(Map.of());

        assertThat(ConfigReaders.country(empty)).isEqualTo("nl");
        assertThat(ConfigReaders.municipality(empty)).isEqualTo("demo");
        assertThat(ConfigReaders.topic(empty, "sound/+/events").filter()).isEqualTo("sound/+/events");
    }

    @Test
    void configuredValuesAreRead() throws Exception {
        AdapterConfiguration gent = configuration(Map.of("country", "be", "municipality", "gent", "topic",
                "vendor/+/up"));

        assertThat(ConfigReaders.country(gent)).isEqualTo("be");
        assertThat(ConfigReaders.municipality(gent)).isEqualTo("gent");
        assertThat(ConfigReaders.requiredMunicipality(gent)).isEqualTo("gent");
        assertThat(ConfigReaders.topic(gent, "sound/+/events").sensorLevel("vendor/v-1/up")).contains("v-1");
    }

    @Test
    void aRequiredMunicipalityHasNoDefault() {
        assertThatThrownBy(() -> ConfigReaders.requiredMunicipality(configuration(Map.of())))
                .isInstanceOf(AdapterConfigurationException.class)
                .hasMessageStartingWith("municipality: is required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "country|NL|country: must be a two-letter country code in lower case (ISO 3166-1), e.g. nl, was 'NL'",
        "country|nld|country: must be a two-letter country code",
        "municipality|Den Haag|municipality: must be 1-63 lower-case letters, digits and dashes",
        "municipality|-gent|municipality: must be 1-63 lower-case letters",
        "topic|sound/#/events|topic: 'sound/#/events' is not a valid MQTT topic filter: '#' must be a whole level "
            + "and the last one, e.g. sound/#"})
    void aWrongValueIsRefusedNamingTheKey(String key, String value, String message) {
        AdapterConfiguration configuration = configuration(Map.of(key, value));

        assertThatThrownBy(() -> {
            ConfigReaders.country(configuration);
            ConfigReaders.municipality(configuration);
            ConfigReaders.topic(configuration, "sound/+/events");
        }).isInstanceOfSatisfying(AdapterConfigurationException.class, e -> assertThat(e.field()).isEqualTo(key))
                .hasMessageStartingWith(message);
    }

    @Test
    void aMunicipalityOf63CharactersIsTheLongest() throws Exception {
        String longest = "a".repeat(63);

        assertThat(ConfigReaders.municipality(configuration(Map.of("municipality", longest)))).isEqualTo(longest);
        assertThatThrownBy(() -> ConfigReaders.municipality(configuration(Map.of("municipality", longest + "a"))))
                .isInstanceOf(AdapterConfigurationException.class);
    }
}
