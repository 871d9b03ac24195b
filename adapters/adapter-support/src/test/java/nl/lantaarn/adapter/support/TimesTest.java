package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import nl.lantaarn.adapter.api.PayloadRejectedException;

class TimesTest {

    @Test
    void readsTheUsualFormAsInstantParseDoes() throws PayloadRejectedException {
        for (String text : new String[] {"2026-11-23T21:14:05Z", "2026-11-23T21:14:05.678123Z",
            "2024-02-29T00:00:00.1Z", "1970-01-01T00:00:00.123456789Z", "2026-12-31T23:59:59.000Z"}) {
            assertThat(Times.quickInstant(text)).as(text).isEqualTo(Instant.parse(text));
            assertThat(Times.instant(text, "t")).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void leavesOtherFormsToInstantParse() throws PayloadRejectedException {
        for (String text : new String[] {"2026-11-23t21:14:05z", "2026-11-23T21:14:05+01:00",
            "2026-11-23T23:59:60Z", "2026-11-23T21:14:05.Z", "+12026-11-23T21:14:05Z"}) {
            assertThat(Times.quickInstant(text)).as(text).isNull();
        }
        assertThat(Times.instant("2026-11-23T21:14:05+01:00", "t"))
                .isEqualTo(Instant.parse("2026-11-23T20:14:05Z"));
        // Instant.parse takes 24:00 as the end of the day
        assertThat(Times.quickInstant("2026-11-23T24:00:00Z")).isNull();
        assertThat(Times.instant("2026-11-23T24:00:00Z", "t")).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    }

    @Test
    void rejectsWhatInstantParseRejects() {
        for (String text : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "yesterday", "2026-11-23T21:14:05.1234567890Z"}) {
            assertThat(Times.quickInstant(text)).as(text).isNull();
            assertThatThrownBy(() -> Times.instant(text, "uplink.received_at"))
                    .isInstanceOf(PayloadRejectedException.class)
                    .hasMessageStartingWith("field 'uplink.received_at' must be an ISO-8601 UTC time");
        }
    }
}
