package nl.lantaarn.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void abbreviateKeeps40Characters() {
        assertThat(Texts.abbreviate("x".repeat(40))).isEqualTo("x".repeat(40));
        assertThat(Texts.abbreviate("y".repeat(41))).isEqualTo("y".repeat(40) + "...");
    }

    @Test
    void wholeNumbersHaveNoFraction() {
        assertThat(Texts.number(3.0)).isEqualTo("3");
        assertThat(Texts.number(-12)).isEqualTo("-12");
        assertThat(Texts.number(2.5)).isEqualTo("2.5");
        assertThat(Texts.number(1e20)).isEqualTo("1.0E20");
    }
}
