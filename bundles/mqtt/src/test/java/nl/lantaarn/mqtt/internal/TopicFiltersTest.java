package nl.lantaarn.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFiltersTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "a/b, a/b, true",
        "a/b, a/c, false",
        "a/b, a/bc, false",
        "a/bc, a/b, false",
        "a/b, a/b/c, false",
        "a/+, a/b, true",
        "a/+, a/b/c, false",
        "a/+/c, a/b/c, true",
        "a/+/c, a//c, true",
        "+/+, a/b, true",
        "+, a, true",
        "+, a/b, false",
        "a/#, a, true",
        "a/#, a/b/c, true",
        "a/#, ab, false",
        "#, a/b/c, true",
        "#, $SYS/uptime, false",
        "+/uptime, $SYS/uptime, false",
        "$SYS/#, $SYS/uptime, true",
        "a/+/#, a/b, true",
        "a/+/#, a, false",
        "lamp/+/noise, lamp/42/noise, true",
        "lamp/+/noise, lamp/42/crowd, false",
    })
    void matchesAsMqttSays(String filter, String topic, boolean expected) {
        assertThat(TopicFilters.matches(filter, topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"$share/hubs/lamp/#, lamp/#", "a/b, a/b", "$share/g, $share/g"})
    void sharedSubscriptionsMatchOnTheirFilter(String filter, String matchPart) {
        assertThat(TopicFilters.matchPart(filter)).isEqualTo(matchPart);
    }
}
