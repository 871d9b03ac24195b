package nl.lantaarn.adapters.citizenreports.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.api.AdapterConfigurationException;

class PseudonymizerTest {

    private static final byte[] KEY = key(1);
    private static final byte[] OTHER_KEY = key(2);

    @TempDir
    Path folder;

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private static Contact email(String email) {
        return new Contact(email, null, null, "nl");
    }

    private static Contact phone(String phone) {
        return new Contact(null, phone, null, "nl");
    }

    @Test
    void sameEmailGivesTheSamePseudonymWhateverItsCaseOrSpacing() {
        Pseudonymizer pseudonymizer = new Pseudonymizer(KEY);

        String first = pseudonymizer.pseudonym(email("j.jansen@example.nl")).orElseThrow();

        assertThat(pseudonymizer.pseudonym(email("  J.Jansen@Example.NL ")).orElseThrow()).isEqualTo(first);
        assertThat(new Pseudonymizer(KEY.clone()).pseudonym(email("j.jansen@example.nl")).orElseThrow())
                .isEqualTo(first);
        assertThat(first).matches("[0-9a-f]{32}");
        assertThat(pseudonymizer.pseudonym(email("p.pietersen@example.nl")).orElseThrow()).isNotEqualTo(first);
    }

    @Test
    void anotherKeyGivesAnotherPseudonym() {
        String withKey = new Pseudonymizer(KEY).pseudonym(email("j.jansen@example.nl")).orElseThrow();
        String withOtherKey = new Pseudonymizer(OTHER_KEY).pseudonym(email("j.jansen@example.nl")).orElseThrow();

        assertThat(withOtherKey).isNotEqualTo(withKey);
    }

    @Test
    void dutchPhoneNumbersAreOneReporterInEveryNotation() {
        Pseudonymizer pseudonymizer = new Pseudonymizer(KEY);
        String pseudonym = pseudonymizer.pseudonym(phone("06-12345678")).orElseThrow();

        for (String notation : new String[] {"0612345678", "+31 6 1234 5678", "0031612345678", "(06) 1234 5678"}) {
            assertThat(pseudonymizer.pseudonym(phone(notation))).as(notation).contains(pseudonym);
        }
        assertThat(Pseudonymizer.normalisePhone("06-12345678", "nl")).isEqualTo("+31612345678");
        assertThat(Pseudonymizer.normalisePhone("030 123 4567", "be")).isEqualTo("0301234567");
    }

    @Test
    void emailComesBeforePhoneAndAnEmptyContactHasNoPseudonym() {
        Pseudonymizer pseudonymizer = new Pseudonymizer(KEY);

        assertThat(pseudonymizer.pseudonym(new Contact("j.jansen@example.nl", "0612345678", null, "nl")))
                .isEqualTo(pseudonymizer.pseudonym(email("j.jansen@example.nl")));
        assertThat(pseudonymizer.pseudonym(Contact.NONE)).isEmpty();
        // an e-mail address and a phone number never share a pseudonym, even with the same text
        assertThat(pseudonymizer.pseudonym(email("0612345678")))
                .isNotEqualTo(pseudonymizer.pseudonym(phone("0612345678")));
    }

    @Test
    void contactsAreNeverShownByToString() {
        Contact contact = new Contact("j.jansen@example.nl", "0612345678", "acct-1", "nl");

        assertThat(contact.toString()).doesNotContain("jansen").doesNotContain("0612345678").doesNotContain("acct");
        assertThat(new Pseudonymizer(KEY).toString()).doesNotContain(Base64.getEncoder().encodeToString(KEY));
    }

    @Test
    void shortKeysAreRefused() {
        assertThatThrownBy(() -> new Pseudonymizer(new byte[16])).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void keyFileIsMadeOnFirstUseOwnerOnlyAndKeptAfterwards() throws Exception {
        Path file = folder.resolve("data/secrets/citizen-reports.key");

        byte[] first = PseudonymKey.loadOrCreate(file);
        byte[] again = PseudonymKey.loadOrCreate(file);

        assertThat(first).hasSize(32).isEqualTo(again);
        assertThat(first).isNotEqualTo(new byte[32]);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).isEqualTo(first);
        Path other = folder.resolve("other.key");
        assertThat(PseudonymKey.loadOrCreate(other)).isNotEqualTo(first);
    }

    @Test
    void unusableKeyFilesNameTheSettingAndNeverShowTheirContent() throws Exception {
        Path garbage = folder.resolve("garbage.key");
        Files.writeString(garbage, "not-base64-secret-material!!", StandardCharsets.US_ASCII);
        Path shortKey = folder.resolve("short.key");
        Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[8]), StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> PseudonymKey.loadOrCreate(garbage))
                .isInstanceOf(AdapterConfigurationException.class)
                .hasMessageStartingWith("pseudonymKeyFile: ")
                .hasMessageContaining("Base64")
                .hasMessageNotContaining("secret-material");
        assertThatThrownBy(() -> PseudonymKey.loadOrCreate(shortKey))
                .isInstanceOf(AdapterConfigurationException.class)
                .hasMessageContaining("has 8 bytes, at least 32");
        assertThatThrownBy(() -> PseudonymKey.loadOrCreate(Path.of("/proc/lantaarn-no-such-place/key")))
                .isInstanceOf(AdapterConfigurationException.class)
                .hasMessageStartingWith("pseudonymKeyFile: cannot create");
    }

    @Test
    void withTheHubsServiceTheNormalisedContactGoesToItUnderPurposeCitizenReports() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        nl.lantaarn.privacy.api.Pseudonyms hub = new nl.lantaarn.privacy.api.Pseudonyms() {
            @Override
            public String pseudonym(String purpose, String value) {
                asked.add(purpose + " " + value);
                return "0123456789abcdef0123456789abcdef";
            }

            @Override
            public String pseudonym(String purpose, String value, java.time.Instant at) {
                throw new AssertionError("not for new reports");
            }

            @Override
            public java.time.Duration rotation(String purpose) {
                return java.time.Duration.ofDays(1);
            }
        };
        assertThat(new Pseudonymizer(hub).pseudonym(email(" J.Jansen@Example.NL ")))
                .contains("0123456789abcdef0123456789abcdef");
        assertThat(asked).containsExactly("citizen-reports email:j.jansen@example.nl");
        assertThat(CitizenReportsAdapterFactory.TYPE.privacy().purposes()).containsExactly("citizen-reports");
    }
}
