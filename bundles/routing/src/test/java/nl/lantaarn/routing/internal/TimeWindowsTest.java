package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;

import org.junit.jupiter.api.Test;

/** The {@code time} bean: windows on the Europe/Amsterdam clock, and its use from a route file. */
class TimeWindowsTest extends RoutingTestSupport {

    /** Consumer fireworks are allowed from 31 December 18:00 to 1 January 02:00 (Vuurwerkbesluit). */
    private static final String FIREWORKS = "12-31T18:00/01-01T02:00";

    private final TimeWindows time = new TimeWindows();

    @Test
    void yearlyWindowWrapsTheNewYearOnTheDutchClock() {
        // 17:00 UTC is 18:00 in winter time (CET, +01:00): the start is inclusive
        assertThat(time.within("2025-12-31T17:00:00Z", FIREWORKS)).isTrue();
        assertThat(time.within("2025-12-31T16:59:59Z", FIREWORKS)).isFalse();
        assertThat(time.within("2025-12-31T23:30:00Z", FIREWORKS)).as("00:30 on 1 January").isTrue();
        assertThat(time.within("2026-01-01T00:59:59.999Z", FIREWORKS)).as("01:59:59.999").isTrue();
        // the end is exclusive: 02:00 local is 01:00 UTC
        assertThat(time.within("2026-01-01T01:00:00Z", FIREWORKS)).isFalse();
        assertThat(time.outside("2026-01-01T01:00:00Z", FIREWORKS)).isTrue();
        // any year, and the rest of the year is outside
        assertThat(time.within("2031-12-31T20:00:00Z", FIREWORKS)).isTrue();
        assertThat(time.within("2026-07-14T21:00:00Z", FIREWORKS)).isFalse();
        assertThat(time.within("2026-12-30T20:00:00Z", FIREWORKS)).isFalse();
        // the same moment written with an offset
        assertThat(time.within("2026-01-01T01:30:00+01:00", FIREWORKS)).isTrue();
    }

    @Test
    void yearlyWindowWithoutWrapAndLeapDay() {
        assertThat(time.within("2028-02-29T12:00:00Z", "02-29T00:00/03-01T00:00")).isTrue();
        assertThat(time.within("2028-03-01T12:00:00Z", "02-29T00:00/03-01T00:00")).isFalse();
        assertThat(time.within("2026-06-15T10:00:00Z", "06-01T00:00/09-01T00:00")).isTrue();
    }

    @Test
    void dailyWindowFollowsSummerTime() {
        // 21:00 UTC is 23:00 in summer (CEST, +02:00) and 22:00 in winter (CET, +01:00)
        assertThat(time.within("2026-07-01T21:00:00Z", "23:00/07:00")).isTrue();
        assertThat(time.within("2026-01-15T21:00:00Z", "23:00/07:00")).isFalse();
        assertThat(time.within("2026-01-15T22:00:00Z", "23:00/07:00")).isTrue();
        assertThat(time.within("2026-01-16T05:59:59Z", "23:00/07:00")).as("06:59:59 CET").isTrue();
        assertThat(time.within("2026-01-16T06:00:00Z", "23:00/07:00")).as("07:00 CET").isFalse();
        assertThat(time.within("2026-01-16T12:00:00Z", "09:00/17:00")).isTrue();
        assertThat(time.within("2026-01-16T16:00:00Z", "09:00/17:00")).isFalse();
        assertThat(time.atNight("2026-03-10T01:30:00Z")).isTrue();
        assertThat(time.atNight("2026-03-10T13:30:00Z")).isFalse();
    }

    @Test
    void severalWindowsAndOtherZones() {
        assertThat(time.within("2026-01-16T12:30:00Z", "07:00/08:00, 13:00/14:00")).isTrue();
        assertThat(time.within("2026-01-16T11:30:00Z", "07:00/08:00, 13:00/14:00")).isFalse();
        assertThat(time.within("2026-01-16T12:30:00Z", "12:00/13:00", "UTC")).isTrue();
        assertThat(time.within("2026-01-16T12:30:00Z", "12:00:00/12:30:00", "UTC")).isFalse();
    }

    @Test
    void readsInstantsDatesAndEpochMillis() {
        Instant moment = Instant.parse("2026-01-01T00:30:00Z");
        assertThat(time.within(moment, FIREWORKS)).isTrue();
        assertThat(time.within(Date.from(moment), FIREWORKS)).isTrue();
        assertThat(time.within(moment.toEpochMilli(), FIREWORKS)).isTrue();
        assertThat(time.within(OffsetDateTime.parse("2026-01-01T01:30:00+01:00"), FIREWORKS)).isTrue();
        assertThat(time.local("2026-01-01T00:30:00Z")).isEqualTo("2026-01-01T01:30:00+01:00");
        assertThat(time.local("2026-07-01T00:30:00.250Z")).isEqualTo("2026-07-01T02:30:00.25+02:00");
    }

    @Test
    void missingOrWrongInputNamesWhatIsWrong() {
        assertThatThrownBy(() -> time.within(null, FIREWORKS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the time is missing");
        assertThatThrownBy(() -> time.within("  ", FIREWORKS)).hasMessageContaining("the time is missing");
        assertThatThrownBy(() -> time.within("2026-01-01T01:30:00", FIREWORKS))
                .hasMessageContaining("'2026-01-01T01:30:00' is not an ISO-8601 time with an offset");
        assertThatThrownBy(() -> time.within(3.5, FIREWORKS)).hasMessageContaining("cannot read a time from a Double");
        assertThatThrownBy(() -> time.within("2026-01-01T01:30:00Z", "")).hasMessageContaining("the window is empty");
        assertThatThrownBy(() -> time.within("2026-01-01T01:30:00Z", "23:00-07:00"))
                .hasMessageContaining("'23:00-07:00' is not start/end");
        assertThatThrownBy(() -> time.within("2026-01-01T01:30:00Z", "23:00/01-01T07:00"))
                .hasMessageContaining("mixes a time of day and a date");
        assertThatThrownBy(() -> time.within("2026-01-01T01:30:00Z", "25:00/07:00"))
                .hasMessageContaining("'25:00' in '25:00/07:00' is not HH:mm");
        assertThatThrownBy(() -> time.within("2026-01-01T01:30:00Z", "02-30T00:00/03-01T00:00"))
                .hasMessageContaining("is not MM-ddTHH:mm");
        assertThatThrownBy(() -> time.within("2026-01-01T01:30:00Z", "07:00/07:00"))
                .hasMessageContaining("starts where it ends");
        assertThatThrownBy(() -> time.within("2026-01-01T01:30:00Z", "07:00/08:00", "Mars/Olympus"))
                .hasMessageContaining("'Mars/Olympus' is not a time zone");
    }

    @Test
    void routesUseTheBeanInFiltersAndInSimple() throws Exception {
        write("time.yaml", """
                - route:
                    id: fireworks
                    from:
                      uri: direct:fireworks
                      steps:
                        - setBody:
                            constant: allowed
                        - filter:
                            method:
                              ref: time
                              method: "outside(${header.detectedAt}, '12-31T18:00/01-01T02:00')"
                            steps:
                              - setBody:
                                  simple: "not allowed at ${bean:time?method=local(${header.detectedAt})}"
                %s
                - route:
                    id: night
                    from:
                      uri: direct:night
                      steps:
                        - setBody:
                            simple: "${bean:time?method=atNight(${header.detectedAt})}"
                %s
                """.formatted(METADATA, METADATA));
        start();
        assertThat(runtime.routeFiles().summary().refused()).isEmpty();
        awaitStarted("fireworks");
        awaitStarted("night");
        var template = runtime.context().createFluentProducerTemplate();
        assertThat(template.to("direct:fireworks").withHeader("detectedAt", "2025-12-31T23:10:00Z")
                .request(String.class)).isEqualTo("allowed");
        assertThat(template.to("direct:fireworks").withHeader("detectedAt", "2026-01-01T03:10:00Z")
                .request(String.class)).isEqualTo("not allowed at 2026-01-01T04:10:00+01:00");
        assertThat(template.to("direct:night").withHeader("detectedAt", "2026-01-01T03:10:00Z")
                .request(String.class)).isEqualTo("true");
        assertThat(template.to("direct:night").withHeader("detectedAt", "2026-01-01T13:10:00Z")
                .request(String.class)).isEqualTo("false");
    }
}
