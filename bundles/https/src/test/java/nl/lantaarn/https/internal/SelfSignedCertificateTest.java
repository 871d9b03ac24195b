package nl.lantaarn.https.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-signed certificate as {@code keytool} makes it, and as the hub keeps, reuses and replaces it. */
class SelfSignedCertificateTest {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @TempDir
    Path home;

    private HttpsSettings settings() {
        return HttpsSettings.resolve(TestConfig.defaults(), Map.of(), home);
    }

    @Test
    void theFirstStartMakesAPrivateKeystoreForLocalhost() throws Exception {
        HttpsSettings settings = settings();
        assertThat(settings.keystore()).isEqualTo(home.resolve("data/secrets/https.p12"));
        assertThat(settings.passwordFile()).isEqualTo(home.resolve("data/secrets/https.password"));

        TlsKey key = HttpsConnector.ownKey(settings);

        assertThat(key.alias()).isEqualTo("lantaarn");
        assertThat(key.certificate().getSubjectX500Principal().getName()).contains("CN=localhost");
        List<Object> names = key.certificate().getSubjectAlternativeNames().stream().map(name -> name.get(1))
                .map(Object.class::cast).toList();
        assertThat(names).containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(key.certificate().getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(Duration.between(Instant.now(), key.certificate().getNotAfter().toInstant()).toDays())
                .isBetween(820L, 826L);
        assertThat(key.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        String password = Files.readString(settings.passwordFile(), StandardCharsets.UTF_8).strip();
        assertThat(password).matches("[A-Za-z0-9_-]{32}");
        if (POSIX) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings.keystore())))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings.passwordFile())))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("data/secrets"))))
                    .isEqualTo("rwx------");
        }
        assertThat(home.resolve("data/secrets")).isDirectoryNotContaining("glob:**.new");
    }

    @Test
    void theFingerprintIsTheOneKeytoolPrints() throws Exception {
        HttpsSettings settings = settings();
        TlsKey key = HttpsConnector.ownKey(settings);
        String listing = run(SelfSignedCertificate.keytool().toString(), "-list", "-v", "-keystore",
                settings.keystore().toString(), "-storepass:file", settings.passwordFile().toString());
        assertThat(listing).contains("SHA256: " + key.fingerprint());
    }

    @Test
    void laterStartsKeepTheCertificateAndItsFingerprint() throws Exception {
        String first = HttpsConnector.ownKey(settings()).fingerprint();
        assertThat(HttpsConnector.ownKey(settings()).fingerprint()).isEqualTo(first);
    }

    @Test
    void anExpiredOrUnreadableOwnCertificateIsReplaced() throws Exception {
        HttpsSettings settings = settings();
        String first = HttpsConnector.ownKey(settings).fingerprint();
        // an expired certificate under the same name: valid for one day, two years ago
        Files.delete(settings.keystore());
        run(SelfSignedCertificate.keytool().toString(), "-genkeypair", "-noprompt", "-alias", "lantaarn",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-startdate", "-730d",
                "-validity", "1", "-storetype", "PKCS12", "-keystore", settings.keystore().toString(),
                "-storepass:file", settings.passwordFile().toString());
        TlsKey expired = TlsKey.load(settings.keystore(), settings.password(Map.of()), "lantaarn");
        assertThat(expired.expiredAt(Instant.now())).isTrue();

        TlsKey renewed = HttpsConnector.ownKey(settings);
        assertThat(renewed.expiredAt(Instant.now())).isFalse();
        assertThat(renewed.fingerprint()).isNotEqualTo(first).isNotEqualTo(expired.fingerprint());

        Files.writeString(settings.keystore(), "not a keystore");
        assertThat(HttpsConnector.ownKey(settings).fingerprint()).isNotEqualTo(renewed.fingerprint());
    }

    @Test
    void aWrongPasswordOrAliasIsNamed() throws Exception {
        HttpsSettings settings = settings();
        HttpsConnector.ownKey(settings);
        assertThatThrownBy(() -> TlsKey.load(settings.keystore(), "wrong".toCharArray(), ""))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot be opened with the configured password");
        assertThatThrownBy(() -> TlsKey.load(settings.keystore(), settings.password(Map.of()), "www"))
                .hasMessageContaining("has no key entry 'www'; its entries are [lantaarn] (fix 'keyAlias' in "
                        + "etc/nl.lantaarn.https.cfg)");
        assertThatThrownBy(() -> TlsKey.load(home.resolve("etc/missing.p12"), new char[0], ""))
                .hasMessageContaining("does not exist; fix 'keystore' in etc/nl.lantaarn.https.cfg");
    }

    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
