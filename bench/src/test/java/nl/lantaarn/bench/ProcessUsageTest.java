package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ProcessUsageTest {

    @Test
    void cpuTicksAreUtimePlusStimeWhateverTheName() {
        String stat = "4242 (node red) (x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 1500 250 0 0 20 0 11 0 100 "
                + "1000000 2000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessUsage.cpuTicks(stat)).isEqualTo(1750);
    }

    @Test
    void heapUsedIsSurvivorEdenAndOldUsedFromJstat() {
        String g1 = """
                 S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT
                 0.0   4096.0  0.0   4096.0 55296.0  12288.0   71680.0    30720.5  40960.0 39000.1 5120.0 4700.2     10    0.050   0      0.000   4      0.010    0.060
                """;
        assertThat(ProcessUsage.heapUsedKb(g1)).hasValue(47105);
        assertThat(ProcessUsage.heapUsedKb("")).isEqualTo(OptionalLong.empty());
        assertThat(ProcessUsage.heapUsedKb("S0U S1U EU\n1 2 3")).isEqualTo(OptionalLong.empty());
    }

    @Test
    void readsThisProcess() {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcessUsage.exists(pid)).isTrue();
        assertThat(ProcessUsage.cpuNanos(pid)).isPresent();
        assertThat(ProcessUsage.statusKb(pid, "VmRSS").orElse(0)).isPositive();
        assertThat(ProcessUsage.statusKb(pid, "VmHWM").orElse(0)).isPositive();
        assertThat(ProcessUsage.statusKb(pid, "NoSuchField")).isEmpty();
        assertThat(ProcessUsage.loadAverage()).matches("[0-9.]+ [0-9.]+ [0-9.]+");
        assertThat(ProcessUsage.exists(Integer.MAX_VALUE)).isFalse();
        assertThat(ProcessUsage.cpuNanos(Integer.MAX_VALUE)).isEmpty();
        assertThat(ProcessUsage.heapUsedKb(Integer.MAX_VALUE)).isEmpty();
    }
}
