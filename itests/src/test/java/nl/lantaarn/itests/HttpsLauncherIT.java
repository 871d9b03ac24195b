package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * HTTPS as a user meets it: {@code ./lantaarn} on a fresh home makes a self-signed certificate, prints its SHA-256
 * fingerprint on the line after the ready line, and a client that trusts nothing but that fingerprint reads the API
 * over TLS; a client pinned to another fingerprint is refused in the handshake. Real processes, like
 * {@link LauncherScenarioIT}.
 */
class HttpsLauncherIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
    private static final Pattern FINGERPRINT_LINE =
            Pattern.compile("^HTTPS certificate SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$");

    private LauncherProcess.Runs runs;

    @BeforeEach
    void createWork(TestInfo test) throws IOException {
        runs = LauncherProcess.Runs.of(getClass(), test.getTestMethod().orElseThrow().getName(), PATIENCE);
    }

    @AfterEach
    void stopEverything() {
        assertThat(runs.stopAll(STOP_PATIENCE))
                .as("processes that did not end on TERM within %s and were killed", STOP_PATIENCE).isEmpty();
    }

    @Test
    void aClientTrustingOnlyThePrintedFingerprintReadsOverTls() throws Exception {
        runs.assertDistributionFresh();
        int httpPort = HubTestOptions.freePort();
        int httpsPort = HubTestOptions.freePort();
        Path home = runs.work().resolve("home");

        LauncherProcess hub = runs.launchHub("start", home, httpPort, HubTestOptions.freePort(), httpsPort);
        String ready = hub.awaitReadyLine();
        assertThat(ready).as("the ready line of %s", hub.describe()).startsWith("Lantaarn ready in ")
                .contains("HTTP http://localhost:" + httpPort + "/api/v1/health, HTTPS https://localhost:"
                        + httpsPort + "/api/v1/health, ");
        Properties hubInfo = hub.awaitHubInfo(home);
        List<String> lines = hub.outLines();
        String next = lines.get(lines.indexOf(ready) + 1);
        Matcher printed = FINGERPRINT_LINE.matcher(next);
        assertThat(printed.matches()).as("the line after the ready line: %s", next).isTrue();
        String fingerprint = printed.group(1);
        assertThat(hubInfo).containsEntry("https.port", Integer.toString(httpsPort))
                .containsEntry("https.fingerprint", fingerprint);
        assertThat(home.resolve("data/secrets/https.p12")).isRegularFile();
        String password = Files.readString(home.resolve("data/secrets/https.password")).strip();
        assertThat(hub.out() + hub.err()).doesNotContain(password);

        URI health = URI.create("https://localhost:" + httpsPort + "/api/v1/health");
        HttpResponse<String> answer = pinnedTo(fingerprint).send(HttpRequest.newBuilder(health).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\"");
        // the API marks answers over TLS with HSTS (request.isSecure())
        assertThat(answer.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        HttpResponse<String> anonymous = pinnedTo(fingerprint).send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + httpsPort + "/api/v1/things")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        String other = (fingerprint.startsWith("00") ? "11" : "00") + fingerprint.substring(2);
        assertThatThrownBy(() -> pinnedTo(other).send(HttpRequest.newBuilder(health).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);

        // plain HTTP stays on next to it
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/api/v1/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    /** A client that trusts exactly the certificate with this SHA-256 fingerprint (and checks the host name). */
    private static HttpClient pinnedTo(String fingerprint) throws Exception {
        X509TrustManager pinned = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                String actual;
                try {
                    actual = HexFormat.ofDelimiter(":").withUpperCase()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new CertificateException(e);
                }
                if (!actual.equals(fingerprint)) {
                    throw new CertificateException("certificate " + actual + " is not the pinned " + fingerprint);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {pinned}, null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
