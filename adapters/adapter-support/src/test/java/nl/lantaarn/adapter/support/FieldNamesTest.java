package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "audio|audio",
        "audioClip|audio clip",
        "recording_url|recording url",
        "Recording-Link|recording link",
        "MACAddress|mac address",
        "wifiMACs|wifi macs",
        "trackID|track id",
        "deviceIDs|device ids",
        "peakDb|peak db",
        "mp3File|mp3 file",
        "sensor2Id|sensor2 id",
        "surface|surface"})
    void splitsNamesIntoWords(String name, String words) {
        assertThat(FieldNames.words(name)).containsExactly(words.split(" "));
    }

    @Test
    void pluralsMapToTheirSingular() {
        assertThat(FieldNames.withPlurals(Set.of("mac", "address")))
                .containsEntry("mac", "mac").containsEntry("macs", "mac")
                .containsEntry("addresses", "address").doesNotContainKey("addressess");
    }
}
