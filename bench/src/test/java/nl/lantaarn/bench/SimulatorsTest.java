package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SimulatorsTest {

    @Test
    void fixedWritesWhatTheFormatterWrites() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            int decimals = random.nextInt(0, 7);
            // values as the simulators have them: rounded to the decimals written, or one more
            double value = SoundEvents.round(random.nextDouble(-200, 200), decimals + random.nextInt(0, 2));
            String expected = String.format(Locale.ROOT, "%." + decimals + "f", value);
            assertThat(Simulators.fixed(new StringBuilder(), value, decimals).toString()).as("%s", value)
                    .isEqualTo(expected);
        }
        assertThat(Simulators.fixed(new StringBuilder(), -0.04, 1).toString()).isEqualTo("-0.0");
        assertThat(Simulators.fixed(new StringBuilder(), 96.25, 1).toString()).isEqualTo("96.3");
        assertThat(Simulators.fixed(new StringBuilder(), 5.0, 0).toString()).isEqualTo("5");
        assertThat(Simulators.fixed(new StringBuilder(), 1e12, 2).toString()).isEqualTo("1000000000000.00");
    }
}
