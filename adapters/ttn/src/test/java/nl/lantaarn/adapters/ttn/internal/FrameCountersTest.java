package nl.lantaarn.adapters.ttn.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameCountersTest {

    @Test
    void aNewDeviceIsNeverARepeat() {
        FrameCounters counters = new FrameCounters(10, 64);

        assertThat(counters.isRepeat("app/dev", 0, null)).isFalse();
        assertThat(counters.isRepeat("app/dev", 4_000_000_000L, "s")).isFalse();
    }

    @Test
    void sameOrSlightlyLowerCounterIsARepeatFarLowerIsAReset() {
        FrameCounters counters = new FrameCounters(10, 64);
        counters.applied("app/dev", 1000, "s1");

        assertThat(counters.isRepeat("app/dev", 1000, "s1")).isTrue();
        assertThat(counters.isRepeat("app/dev", 1001, "s1")).isFalse();
        assertThat(counters.isRepeat("app/dev", 937, "s1")).as("63 below").isTrue();
        assertThat(counters.isRepeat("app/dev", 936, "s1")).as("64 below").isFalse();
        assertThat(counters.isRepeat("app/dev", 0, "s1")).isFalse();
    }

    @Test
    void anotherSessionStartsAfreshButAMissingSessionDoesNot() {
        FrameCounters counters = new FrameCounters(10, 64);
        counters.applied("app/dev", 10, "s1");

        assertThat(counters.isRepeat("app/dev", 10, "s2")).isFalse();
        assertThat(counters.isRepeat("app/dev", 10, null)).isTrue();
        counters.applied("app/dev", 11, null);
        assertThat(counters.isRepeat("app/dev", 11, "s1")).as("the session known from before is kept").isTrue();
        assertThat(counters.isRepeat("app/dev", 11, "s2")).isFalse();
    }

    @Test
    void remembersOnlyTheDevicesHeardFromMostRecently() {
        FrameCounters counters = new FrameCounters(2, 64);
        counters.applied("a", 5, null);
        counters.applied("b", 5, null);
        assertThat(counters.isRepeat("a", 5, null)).isTrue(); // a is now the most recent
        counters.applied("c", 5, null);

        assertThat(counters.size()).isEqualTo(2);
        assertThat(counters.isRepeat("b", 5, null)).as("b was forgotten").isFalse();
        assertThat(counters.isRepeat("a", 5, null)).isTrue();
        assertThat(counters.isRepeat("c", 5, null)).isTrue();
    }
}
