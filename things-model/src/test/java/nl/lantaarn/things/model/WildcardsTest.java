package nl.lantaarn.things.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class WildcardsTest {

    @Test
    void starMatchesAnyRunAndQuestionMarkOneCodePoint() {
        assertThat(Wildcards.matches("n?ise-*7", "noise-17")).isTrue();
        assertThat(Wildcards.matches("n?ise-*7", "nise-17")).isFalse();
        assertThat(Wildcards.matches("*", "")).isTrue();
        assertThat(Wildcards.matches("a*", "")).isFalse();
        assertThat(Wildcards.matches("*b*", "abc")).isTrue();
        assertThat(Wildcards.matches("a*c", "abcbc")).isTrue();
        assertThat(Wildcards.matches("a*c", "abcb")).isFalse();
        assertThat(Wildcards.matches("?", "\ud83d\ude00")).isTrue();
    }

    @Test
    void aPatternThatMakesRegularExpressionsBacktrackIsAnsweredAtOnce() {
        String pattern = "*a".repeat(40) + "*b";
        String value = "a".repeat(5_000);
        // a regex of this pattern takes exponential time; the matcher is bounded by the product of the lengths
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThat(Wildcards.matches(pattern, value)).isFalse());
    }
}
