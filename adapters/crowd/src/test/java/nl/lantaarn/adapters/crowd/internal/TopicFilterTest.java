package nl.lantaarn.adapters.crowd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

    @Test
    void theFirstPlusLevelNamesTheSensor() throws Exception {
        TopicFilter filter = TopicFilter.parse("topic", "sound/+/events");

        assertThat(filter.sensorLevel("sound/se-1/events")).contains("se-1");
        assertThat(filter.sensorLevel("sound/se-1/other")).isEmpty();
        assertThat(filter.sensorLevel("sound/se-1/events/x")).isEmpty();
        assertThat(filter.sensorLevel("sound//events")).isEmpty();
    }

    @Test
    void multiLevelWildcardsAndSharedSubscriptions() throws Exception {
        assertThat(TopicFilter.parse("topic", "city/+/sound/#").sensorLevel("city/se-2/sound/a/b")).contains("se-2");
        assertThat(TopicFilter.parse("topic", "city/+/sound/#").sensorLevel("city/se-2")).isEmpty();
        assertThat(TopicFilter.parse("topic", "$share/g/sound/+/events").sensorLevel("sound/se-3/events"))
                .contains("se-3");
        assertThat(TopicFilter.parse("topic", "sound/#").sensorLevel("sound/se-3/events")).isEmpty();
    }
}
