package nl.lantaarn.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.health.api.ComponentHealth;

class PseudonymServiceTest {

    @TempDir
    Path home;

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(String start) {
            now = Instant.parse(start);
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final MovableClock clock = new MovableClock("2026-11-24T08:00:00Z");

    private PseudonymService service(Map<String, Object> config) {
        return new PseudonymService(new PurposeVocabulary(Map.of()),
                PseudonymService.keystore(home, config, null), clock, config);
    }

    @Test
    void sameValueSamePseudonymWithinADayAnotherOneTheNextDay() {
        PseudonymService pseudonyms = service(Map.of());
        String morning = pseudonyms.pseudonym("citizen-reports", "melder@example.nl");
        assertThat(morning).matches("[0-9a-f]{32}");
        clock.advance(Duration.ofHours(15)); // 23:00 UTC, still the same day
        assertThat(pseudonyms.pseudonym("citizen-reports", "melder@example.nl")).isEqualTo(morning);
        assertThat(pseudonyms.pseudonym("citizen-reports", "ander@example.nl")).isNotEqualTo(morning);

        clock.advance(Duration.ofHours(1)); // 00:00 UTC the next day: a new period, no restart
        String nextDay = pseudonyms.pseudonym("citizen-reports", "melder@example.nl");
        assertThat(nextDay).isNotEqualTo(morning);
        assertThat(pseudonyms.pseudonym("citizen-reports", "melder@example.nl")).isEqualTo(nextDay);
        // an earlier period can still be asked about (data subject requests), without disturbing the current one
        assertThat(pseudonyms.pseudonym("citizen-reports", "melder@example.nl",
                Instant.parse("2026-11-24T12:00:00Z"))).isEqualTo(morning);
        assertThat(pseudonyms.pseudonym("citizen-reports", "melder@example.nl")).isEqualTo(nextDay);
    }

    @Test
    void eachPurposeHasItsOwnKey() throws Exception {
        PseudonymService pseudonyms = service(Map.of());
        String reports = pseudonyms.pseudonym("citizen-reports", "AB-123-C");
        String safety = pseudonyms.pseudonym("public-safety", "AB-123-C");
        assertThat(reports).isNotEqualTo(safety);
        KeyStore store = load(home.resolve("etc/pseudonyms.p12"));
        assertThat(java.util.Collections.list(store.aliases())).containsExactlyInAnyOrder("purpose-citizen-reports",
                "purpose-public-safety");
    }

    @Test
    void pseudonymIsTheDocumentedHmacOfTheDerivedPeriodKey() throws Exception {
        String pseudonym = service(Map.of()).pseudonym("public-safety", "AB-123-C");
        byte[] master = master("public-safety");
        long index = Instant.parse("2026-11-24T08:00:00Z").getEpochSecond() / 86400;
        byte[] periodKey = hmac(master, "lantaarn-pseudonym-period:86400:" + index);
        byte[] expected = hmac(periodKey, "AB-123-C");
        assertThat(pseudonym).isEqualTo(HexFormat.of().formatHex(expected, 0, 16));
    }

    @Test
    void keystoreAndPasswordFileAreMadeOwnerOnlyAndReusedByTheNextRun() throws Exception {
        String first = service(Map.of()).pseudonym("citizen-reports", "melder@example.nl");
        Path keystore = home.resolve("etc/pseudonyms.p12");
        Path password = home.resolve("data/secrets/pseudonyms.password");
        assertThat(keystore).exists();
        assertThat(password).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
        byte[] before = Files.readAllBytes(keystore);

        // a restarted hub: a new service on the same files
        String again = service(Map.of()).pseudonym("citizen-reports", "melder@example.nl");
        assertThat(again).isEqualTo(first);
        assertThat(Files.readAllBytes(keystore)).isEqualTo(before);
    }

    @Test
    void passwordFromTheEnvironmentWinsAndAWrongOneIsRefusedWithoutRevealingIt() {
        Map<String, Object> config = Map.of();
        new PseudonymService(new PurposeVocabulary(Map.of()), PseudonymService.keystore(home, config,
                "correct horse battery"), clock, config).pseudonym("public-safety", "x");
        assertThat(home.resolve("data/secrets/pseudonyms.password")).doesNotExist();

        PseudonymService wrong = new PseudonymService(new PurposeVocabulary(Map.of()),
                PseudonymService.keystore(home, config, "wrong staple"), clock, config);
        assertThatThrownBy(() -> wrong.pseudonym("public-safety", "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pseudonyms.p12")
                .hasMessageContaining(PseudonymKeystore.PASSWORD_ENV)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong staple"));
        assertThat(wrong.health().status()).isEqualTo(ComponentHealth.Status.DOWN);
    }

    @Test
    void rotationPerPurposeChangesWhileRunning() {
        PseudonymService pseudonyms = service(Map.of());
        assertThat(pseudonyms.rotation("public-safety")).isEqualTo(Duration.ofDays(1));
        String daily = pseudonyms.pseudonym("public-safety", "AB-123-C");
        clock.advance(Duration.ofHours(1));
        assertThat(pseudonyms.pseudonym("public-safety", "AB-123-C")).isEqualTo(daily);

        // the operator edits etc/nl.lantaarn.privacy.pseudonyms.cfg: hourly for public-safety only
        pseudonyms.modified(Map.of("rotation.public-safety", "PT1H"));
        assertThat(pseudonyms.rotation("public-safety")).isEqualTo(Duration.ofHours(1));
        assertThat(pseudonyms.rotation("citizen-reports")).isEqualTo(Duration.ofDays(1));
        String hourly = pseudonyms.pseudonym("public-safety", "AB-123-C");
        assertThat(hourly).isNotEqualTo(daily);
        clock.advance(Duration.ofMinutes(59));
        assertThat(pseudonyms.pseudonym("public-safety", "AB-123-C")).isEqualTo(hourly);
        clock.advance(Duration.ofMinutes(1));
        assertThat(pseudonyms.pseudonym("public-safety", "AB-123-C")).isNotEqualTo(hourly);
    }

    @Test
    void badRotationSettingsAreNamedAndTheDefaultStays() {
        PseudonymService pseudonyms = service(Map.of("rotation", "daily", "rotation.public-safety", "PT10S"));
        assertThat(pseudonyms.rotation("public-safety")).isEqualTo(Duration.ofDays(1));
        ComponentHealth health = pseudonyms.health();
        assertThat(health.status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("rotation = daily").contains("rotation.public-safety = PT10S");
    }

    @Test
    void unknownPurposeAndEmptyValueAreRefusedWithoutTheValue() {
        PseudonymService pseudonyms = service(Map.of());
        assertThatThrownBy(() -> pseudonyms.pseudonym("marketing", "melder@example.nl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'marketing'").hasMessageContaining("public-safety")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("melder"));
        assertThatThrownBy(() -> pseudonyms.pseudonym("public-safety", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(home.resolve("etc/pseudonyms.p12")).doesNotExist();
    }

    @Test
    void neitherKeysNorPasswordNorValuesAppearInTheLog() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            PseudonymService pseudonyms = service(Map.of());
            pseudonyms.pseudonym("public-safety", "AB-123-C");
            pseudonyms.pseudonym("citizen-reports", "melder@example.nl");
            clock.advance(Duration.ofDays(1));
            pseudonyms.pseudonym("public-safety", "AB-123-C");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        // the log did capture the service: it says a key was made, and where
        assertThat(log).contains("Made a new pseudonym key for purpose public-safety").contains("pseudonyms.p12");
        String password = Files.readString(home.resolve("data/secrets/pseudonyms.password")).strip();
        assertThat(log).doesNotContain(password).doesNotContain("AB-123-C").doesNotContain("melder@example.nl");
        for (String purpose : new String[] {"public-safety", "citizen-reports"}) {
            byte[] key = master(purpose);
            assertThat(log).doesNotContainIgnoringCase(HexFormat.of().formatHex(key))
                    .doesNotContain(Base64.getEncoder().encodeToString(key))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        }
    }

    private byte[] master(String purpose) throws Exception {
        KeyStore store = load(home.resolve("etc/pseudonyms.p12"));
        char[] password = Files.readString(home.resolve("data/secrets/pseudonyms.password")).strip().toCharArray();
        return ((KeyStore.SecretKeyEntry) store.getEntry("purpose-" + purpose,
                new KeyStore.PasswordProtection(password))).getSecretKey().getEncoded();
    }

    private KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = Files.readString(home.resolve("data/secrets/pseudonyms.password")).strip().toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
