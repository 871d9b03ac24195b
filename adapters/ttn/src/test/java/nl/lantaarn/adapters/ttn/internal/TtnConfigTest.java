package nl.lantaarn.adapters.ttn.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;
import nl.lantaarn.things.model.FeatureDefinitions;

class TtnConfigTest {

    private static TtnConfig config(Map<String, ?> properties) throws AdapterConfigurationException {
        return TtnConfig.from(new AdapterConfiguration("ttn", "default", properties), "nl.lantaarn.adapter.ttn",
                TtnAdapterFactory.TYPE.domains());
    }

    @Test
    void defaultsWithoutSettings() throws Exception {
        TtnConfig config = config(Map.of());

        assertThat(config.topic()).isEqualTo("v3/+/devices/+/up");
        assertThat(config.country()).isEqualTo("nl");
        assertThat(config.municipality()).isEqualTo("demo");
        assertThat(config.mappings()).isEmpty();
        assertThat(config.gatewayLocation()).isFalse();
        assertThat(config.maxDevices()).isEqualTo(10_000);
        assertThat(config.resetGap()).isEqualTo(64);
        assertThat(config.definition("noise")).contains(FeatureDefinitions.NOISE_LEVEL_OBSERVED);
        assertThat(config.definition("weather")).isEmpty();
    }

    @Test
    void theShippedDefaultConfigurationMapsTheThreeSimulatedApplications() throws Exception {
        TtnConfig config = TtnConfig.from(TtnSamples.defaultConfiguration(), "nl.lantaarn.adapter.ttn",
                TtnAdapterFactory.TYPE.domains());

        assertThat(config.mappings()).containsOnlyKeys("eindhoven-sound", "eindhoven-people", "eindhoven-air");
        assertThat(config.mappings().get("eindhoven-air")).anySatisfy(mapping -> {
            assertThat(mapping.path()).containsExactly("pm2_5_mass_concentration", "value");
            assertThat(mapping.feature()).isEqualTo("airQuality");
            assertThat(mapping.property()).isEqualTo("pm25");
            assertThat(mapping.unit()).contains("\u00b5g/m\u00b3");
        });
        assertThat(config.configFile()).isEqualTo("etc/nl.lantaarn.adapter.ttn~default.cfg");
    }

    @Test
    void mappingValuesAreParsed() throws Exception {
        TtnConfig config = config(Map.of("mapping.city-sound.soundAvg", " safety : noise.laeq : dB(A) ",
                "mapping.city-sound.flags/alarm", "safety:noise.alarm", "definition.noise", "none",
                "definition.weather", "WeatherObserved", "definition.lamp", "org.example:Lamp:2.0.0"));

        assertThat(config.mappings().get("city-sound")).containsExactlyInAnyOrder(
                new FieldMapping("mapping.city-sound.soundAvg", "soundAvg", java.util.List.of("soundAvg"), "safety",
                        "noise", "laeq", java.util.Optional.of("dB(A)")),
                new FieldMapping("mapping.city-sound.flags/alarm", "flags/alarm", java.util.List.of("flags", "alarm"),
                        "safety", "noise", "alarm", java.util.Optional.empty()));
        assertThat(config.definition("noise")).isEmpty();
        assertThat(config.definition("weather")).contains("org.fiware.smartdatamodels:WeatherObserved:1.0.0");
        assertThat(config.definition("lamp")).contains("org.example:Lamp:2.0.0");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "country | NL | must be a two-letter country code",
        "municipality | Den Bosch | must be 1-63 lower-case letters, digits and dashes",
        "topic | v3/#/up | must be an MQTT topic filter",
        "mapping.app1 | safety:noise.laeq | must be mapping.<application>.<decodedField>",
        "mapping.App_1.x | safety:noise.laeq | is not a The Things Stack application id",
        "mapping.app1.soundAvg | noise.laeq | must be <domain>:<feature>.<property>[:<unit>]",
        "mapping.app1.soundAvg | Safety:noise.laeq | domain 'Safety' must be lower-case",
        "mapping.app1.soundAvg | lighting:noise.laeq | domain 'lighting' is not one of the TTN adapter's domains "
            + "[crowd, environment, safety, traffic]",
        "mapping.app1.soundAvg | safety:noise | must be <domain>:<feature>.<property>[:<unit>]",
        "mapping.app1.soundAvg | safety:noise/x.laeq | feature 'noise/x' must start with a letter",
        "mapping.app1.soundAvg | safety:noise.la-eq | property 'la-eq' must start with a letter",
        "mapping.app1.soundAvg | safety:noise.measuredAt | is written by the adapter itself",
        "mapping.app1.soundAvg | safety:noise.laeq:an-overly-long-unit-name-of-40-chars | unit must be 1-32 characters",
        "mapping.app1.a//b | safety:noise.laeq | decoded field 'a//b' must be a field name",
        "definition.noise | not a definition | must be a FIWARE Smart Data Model name",
        "definition.noise/x | NoiseLevelObserved | must be definition.<feature>",
        "location.gateways | yes | must be true or false",
        "duplicates.devices | 0 | must be between 1 and 1000000",
        "duplicates.resetGap | lots | must be a whole number",
        "mappings.app1.soundAvg | safety:noise.laeq | is not a setting of the TTN adapter",
    })
    void aWrongSettingIsRefusedNamingIt(String key, String value, String problem) {
        AdapterConfigurationException e = catchThrowableOfType(() -> config(Map.of(key, value)),
                AdapterConfigurationException.class);

        assertThat(e).as("%s = %s is refused", key, value).isNotNull();
        assertThat(e.field()).isEqualTo(key);
        assertThat(e.getMessage()).startsWith(key + ": ").contains(problem);
    }

    @Test
    void aPropertyIsMappedOnlyOncePerApplication() {
        assertThatThrownBy(() -> config(Map.of("mapping.app1.a", "safety:noise.laeq",
                "mapping.app1.b", "safety:noise.laeq")))
                .isInstanceOf(AdapterConfigurationException.class)
                .hasMessageContaining("maps to safety:noise.laeq, as mapping.app1.a does already");
    }

    @Test
    void theFactoryRefusesABadConfigurationNamingTheField() {
        AdapterConfigurationException e = catchThrowableOfType(() -> new TtnAdapterFactory().create(
                new AdapterConfiguration("ttn", "default", Map.of("mapping.app1.soundAvg", "noise"))),
                AdapterConfigurationException.class);

        assertThat(e.field()).isEqualTo("mapping.app1.soundAvg");
    }

    @Test
    void typeDescribesTheAdapter() {
        var type = new TtnAdapterFactory().type();

        assertThat(type.id()).isEqualTo("ttn");
        assertThat(type.vendor()).isEqualTo("The Things Industries");
        assertThat(type.domains()).containsExactlyInAnyOrder("environment", "crowd", "safety", "traffic");
        assertThat(type.factoryPid()).isEqualTo("nl.lantaarn.adapter.ttn");
        assertThat(type.privacy().personalData()).isFalse();
        assertThat(type.privacy().declares("/features/noise/properties/laeq")).isTrue();
        assertThat(type.privacy().declares("/attributes/lorawan/devEui")).isTrue();
        assertThat(type.privacy().declares("/attributes/owner")).isFalse();
    }
}
