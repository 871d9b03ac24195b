package nl.lantaarn.adapters.citizenreports.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersonalDataScrubberTest {

    @ParameterizedTest
    @ValueSource(strings = {"j.jansen@example.nl", "Melder+meldingen@Gemeente-Eindhoven.nl", "a_b%c@sub.domain.co.uk",
        "jöran@bücher.de"})
    void removesEmailAddresses(String email) {
        String scrubbed = PersonalDataScrubber.scrub("Mail " + email + " graag.");

        assertThat(scrubbed).isEqualTo("Mail " + PersonalDataScrubber.EMAIL + " graag.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"06-12345678", "0612345678", "+31 6 1234 5678", "+31612345678", "0031612345678",
        "020-1234567", "(020) 123 45 67", "040.123.45.67", "06 12 34 56 78", "+1 (415) 555-0134"})
    void removesPhoneNumbers(String phone) {
        String scrubbed = PersonalDataScrubber.scrub("Bel " + phone + " na zes uur.");

        assertThat(scrubbed).isEqualTo("Bel " + PersonalDataScrubber.PHONE + " na zes uur.");
    }

    @Test
    void keepsDatesPostcodesHouseNumbersAndTimes() {
        String text = "Sinds 2024-05-14 om 21:30 ligt bij Stratumseind 32, 5611 ET Eindhoven (mast 1234) "
                + "een tegel los, 3 stuks, 12.5 cm.";

        assertThat(PersonalDataScrubber.scrub(text)).isEqualTo(text);
    }

    @Test
    void removesBothAndKeepsTheRest() {
        String scrubbed = PersonalDataScrubber.scrub("Lamp kapot. Bel me: 06-12345678 of mail j.jansen@example.nl");

        assertThat(scrubbed).isEqualTo("Lamp kapot. Bel me: " + PersonalDataScrubber.PHONE + " of mail "
                + PersonalDataScrubber.EMAIL);
        assertThat(scrubbed).doesNotContain("12345678").doesNotContain("jansen");
    }

    @Test
    void emptyAndNullStayAsTheyAre() {
        assertThat(PersonalDataScrubber.scrub(null)).isNull();
        assertThat(PersonalDataScrubber.scrub("")).isEmpty();
    }

    @Test
    void longInputsEndWithoutBacktrackingBlowUp() {
        // a long run of near-misses: word characters without an @, digits interrupted every 8th place
        String text = "a".repeat(4000) + " " + "1234567-".repeat(500) + " " + "x@".repeat(1000);

        assertThat(PersonalDataScrubber.scrub(text)).startsWith("aaaa");
    }
}
