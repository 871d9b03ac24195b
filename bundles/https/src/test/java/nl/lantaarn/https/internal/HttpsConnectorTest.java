package nl.lantaarn.https.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS connector on a real Jetty (the one Felix HTTP embeds), reached by a client that trusts nothing but the
 * certificate's SHA-256 fingerprint, as a partner does with the fingerprint the hub prints.
 */
class HttpsConnectorTest {

    @TempDir
    Path home;

    @Test
    void aClientTrustingOnlyTheFingerprintGetsASecureAnswer() throws Exception {
        int port = freePort();
        HttpsSettings settings = HttpsSettings.resolve(TestConfig.with(Map.of("host", "127.0.0.1")),
                Map.of(HttpsSettings.PORT_ENV, Integer.toString(port)), home);
        TlsKey key = HttpsConnector.ownKey(settings);
        Server server = new Server();
        ServerConnector connector = HttpsConnector.connector(server, settings, key, settings.password(Map.of()));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                Content.Sink.write(response, true, "secure=" + request.isSecure(), callback);
                return true;
            }
        });
        server.start();
        try {
            URI uri = URI.create("https://localhost:" + port + "/api/v1/health");
            HttpResponse<String> answer = trusting(key.fingerprint()).send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("secure=true");
            assertThat(answer.headers().firstValue("Server")).isEmpty();

            String other = "00" + key.fingerprint().substring(2);
            assertThatThrownBy(() -> trusting(other).send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        } finally {
            server.stop();
        }
    }

    @Test
    void theEnvironmentsPortWinsAndBadValuesAreNamed() {
        HttpsSettings settings = HttpsSettings.resolve(TestConfig.with(Map.of("port", 9443)),
                Map.of("LANTAARN_HTTPS_PORT", "18443"), home);
        assertThat(settings.port()).isEqualTo(18443);
        assertThat(settings.portSource()).isEqualTo("LANTAARN_HTTPS_PORT");
        assertThat(HttpsSettings.resolve(TestConfig.with(Map.of("port", 9443)), Map.of(), home).portSource())
                .isEqualTo("'port' in etc/nl.lantaarn.https.cfg");
        assertThatThrownBy(() -> HttpsSettings.resolve(TestConfig.defaults(), Map.of("LANTAARN_HTTPS_PORT", "https"),
                home)).hasMessage("LANTAARN_HTTPS_PORT='https' is not a TCP port (1-65535)");
        assertThatThrownBy(() -> HttpsSettings.resolve(TestConfig.with(Map.of("port", 0)), Map.of(), home))
                .hasMessage("'port' 0 is not a TCP port (1-65535); fix it in etc/nl.lantaarn.https.cfg");
    }

    @Test
    void aConfiguredKeystoreNeedsAPasswordFromAFileOrTheEnvironment() throws Exception {
        assertThatThrownBy(() -> HttpsSettings.resolve(TestConfig.with(Map.of("keystore", "etc/hub.p12")), Map.of(),
                home)).hasMessageContaining("'keystore' etc/hub.p12 has no password: set 'keystorePasswordFile'")
                .hasMessageContaining("LANTAARN_HTTPS_KEYSTORE_PASSWORD");
        HttpsSettings fromEnv = HttpsSettings.resolve(TestConfig.with(Map.of("keystore", "etc/hub.p12")),
                Map.of("LANTAARN_HTTPS_KEYSTORE_PASSWORD", "s3cret"), home);
        assertThat(fromEnv.generated()).isFalse();
        assertThat(fromEnv.keystore()).isEqualTo(home.resolve("etc/hub.p12"));
        assertThat(new String(fromEnv.password(Map.of("LANTAARN_HTTPS_KEYSTORE_PASSWORD", "s3cret"))))
                .isEqualTo("s3cret");
        HttpsSettings fromFile = HttpsSettings.resolve(TestConfig.with(Map.of("keystore", "etc/hub.p12",
                "keystorePasswordFile", "data/secrets/hub.password")), Map.of(), home);
        assertThatThrownBy(() -> fromFile.password(Map.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("the keystore password file " + home.resolve("data/secrets/hub.password")
                        + " does not exist");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** A client that trusts exactly the certificate with this SHA-256 fingerprint, and checks the host name. */
    static HttpClient trusting(String fingerprint) throws Exception {
        X509TrustManager pinned = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (!TlsKey.normalise(TlsKey.fingerprint(chain[0])).equals(TlsKey.normalise(fingerprint))) {
                    throw new CertificateException("not the certificate with fingerprint " + fingerprint);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {pinned}, null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }
}
