package nl.lantaarn.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import picocli.CommandLine;

/**
 * {@code dpia} in-process: fetching from a running hub (a real HTTP server standing in for it), the refusals, and the
 * temporary home it starts a hub on. Starting the real hub is {@code DpiaLauncherIT}'s part (itests).
 */
class DpiaCommandTest {

    @TempDir
    Path home;

    record Run(int exit, String out, String err) {
    }

    Run run(String... args) {
        CommandLine commandLine = ToolsMain.commandLine(home);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void withAnOperatorKeyTheRunningHubsSheetIsWrittenAndARefusalIsReported() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/dpia", exchange -> {
            boolean operator = "Bearer good".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (operator ? "# DPIA fact sheet\n" + exchange.getRequestURI().getQuery()
                    : "{\"type\":\"about:blank\",\"status\":403,\"detail\":\"needs role operator\",\"title\":\"x\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(operator ? 200 : 403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Path key = Files.writeString(home.resolve("key"), "good\n");
            Path output = home.resolve("out/sheet.html");

            Run ok = run("dpia", "--url", url, "--api-key-file", key.toString(), "--format", "html", "-o",
                    output.toString());

            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(Files.readString(output)).isEqualTo("# DPIA fact sheet\nformat=html");
            assertThat(ok.err()).contains("of the hub at " + url, "wrote the DPIA fact sheet to " + output);

            Path bad = Files.writeString(home.resolve("bad"), "bad");
            Run refused = run("dpia", "--url", url, "--api-key-file", bad.toString(), "-o", "-");
            assertThat(refused.exit()).isEqualTo(ToolsMain.REFUSED);
            assertThat(refused.err()).contains("answered 403", "needs role operator");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        Run format = run("dpia", "--format", "pdf");
        assertThat(format.exit()).isEqualTo(ToolsMain.INVALID_INPUT);
        assertThat(format.err()).contains("--format must be md or html", "'pdf'");

        Run keyFile = run("dpia", "--api-key-file", home.resolve("missing").toString());
        assertThat(keyFile.exit()).isEqualTo(ToolsMain.INVALID_INPUT);
        assertThat(keyFile.err()).contains("--api-key-file", "is not a file");
    }

    @Test
    void theTemporaryHomeCopiesTheConfigurationButNoClientsOrSecretsAndPinsPortsAndTheEmbeddedBroker()
            throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.createDirectories(home.resolve("routes/examples"));
        Files.writeString(home.resolve("etc/nl.lantaarn.mqtt.client.cfg"), "broker = external\nhost = mq.city\n");
        Files.writeString(home.resolve("etc/nl.lantaarn.http.client-ops.cfg"), "keyHash = sha256:00\n");
        Files.writeString(home.resolve("etc/mqtt-users.passwd"), "devices:hash\n");
        Files.writeString(home.resolve("etc/nl.lantaarn.adapter.ttn~default.cfg"), "# ttn\n");
        Files.writeString(home.resolve("routes/noise-alerts.yaml"), "- route: {}\n");
        Files.writeString(home.resolve("routes/examples/x.yaml"), "- route: {}\n");
        Path target = home.resolve("tmp-home");

        TemporaryHome.create(home, target, 1001, 1002, 1003);

        assertThat(target.resolve("etc/nl.lantaarn.adapter.ttn~default.cfg")).hasContent("# ttn");
        assertThat(target.resolve("routes/noise-alerts.yaml")).exists();
        assertThat(target.resolve("routes/examples/x.yaml")).exists();
        assertThat(target.resolve("etc/nl.lantaarn.http.client-ops.cfg")).doesNotExist();
        assertThat(target.resolve("etc/mqtt-users.passwd")).doesNotExist();
        assertThat(Files.readString(target.resolve("etc/nl.lantaarn.mqtt.client.cfg")))
                .contains("broker = embedded", "host = mq.city").doesNotContain("broker = external");
        assertThat(Files.readString(target.resolve("etc/org.apache.felix.http.cfg")))
                .contains("org.osgi.service.http.port = 1001", "org.osgi.service.http.host = 127.0.0.1");
        assertThat(Files.readString(target.resolve("etc/nl.lantaarn.https.cfg"))).contains("port = 1002");
        assertThat(Files.readString(target.resolve("etc/nl.lantaarn.mqtt.broker.cfg"))).contains("port = 1003",
                "host = 127.0.0.1");
        assertThat(target.resolve("data")).isDirectory();
    }
}
