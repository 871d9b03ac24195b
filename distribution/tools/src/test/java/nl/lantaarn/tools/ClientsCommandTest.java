package nl.lantaarn.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.security.api.Role;
import picocli.CommandLine;

/** The clients commands run in-process, as ./lantaarn runs them, against a temporary home. */
class ClientsCommandTest {

    @TempDir
    Path home;

    record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private Run run(String... args) {
        CommandLine commandLine = ToolsMain.commandLine(home);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path clientFile(String name) {
        return home.resolve("etc/nl.lantaarn.http.client-" + name + ".cfg");
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        }
        return properties;
    }

    @Test
    void addPrintsTheKeyOnceAsLastLineAndStoresOnlyItsHash() throws IOException {
        Run added = run("clients", "add", "police-eindhoven", "--role", "reader", "--purpose",
                "Crowd levels during events – Stratumseind");

        assertThat(added.exitCode()).as("%s", added).isZero();
        assertThat(added.err()).isEmpty();
        List<String> lines = added.outLines();
        String key = lines.get(lines.size() - 1);
        assertThat(key).matches("ltn_[A-Za-z0-9_-]{43}");
        assertThat(added.out().split(java.util.regex.Pattern.quote(key), -1)).as("occurrences of the key").hasSize(2);

        Path file = clientFile("police-eindhoven");
        String stored = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain(key).doesNotContain(key.substring(4));
        Properties properties = load(file);
        assertThat(properties.getProperty("keyHash")).isEqualTo("sha256:" + ClientStore.sha256Hex(key));
        assertThat(properties.getProperty("name")).isEqualTo("police-eindhoven");
        assertThat(properties.getProperty("roles")).isEqualTo("reader");
        assertThat(properties.getProperty("purpose")).isEqualTo("Crowd levels during events – Stratumseind");
        assertThat(properties.getProperty("created")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(home.resolve("etc"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("nl.lantaarn.http.client-police-eindhoven.cfg");
        }

        // a second client gets a different key
        Run other = run("clients", "add", "dashboard", "--role", "writer,reader", "--purpose", "city dashboard");
        assertThat(other.exitCode()).isZero();
        assertThat(other.outLines().get(other.outLines().size() - 1)).isNotEqualTo(key).startsWith("ltn_");
        assertThat(load(clientFile("dashboard")).getProperty("roles")).isEqualTo("reader, writer");
    }

    @Test
    void addMayGiveTheClientItsOwnRateLimit() throws IOException {
        Run added = run("clients", "add", "bulk-reader", "--role", "reader", "--purpose", "nightly export",
                "--rate-limit", "0.5", "--rate-burst", "20");
        assertThat(added.exitCode()).as("%s", added).isZero();
        assertThat(added.outLines().get(0)).contains("rate limit 0.5 requests per second, bursts of up to 20");
        Properties properties = load(clientFile("bulk-reader"));
        assertThat(properties.getProperty("rateLimit")).isEqualTo("0.5");
        assertThat(properties.getProperty("rateBurst")).isEqualTo("20");
        // without the options the file leaves the limit to the hub's default
        assertThat(run("clients", "add", "plain", "--role", "reader", "--purpose", "x").exitCode()).isZero();
        assertThat(load(clientFile("plain")).stringPropertyNames()).doesNotContain("rateLimit", "rateBurst");

        assertRefused(run("clients", "add", "fast", "--role", "reader", "--purpose", "x", "--rate-limit", "lots"), 2,
                "invalid --rate-limit 'lots'", "requests per second");
        assertRefused(run("clients", "add", "fast", "--role", "reader", "--purpose", "x", "--rate-limit", "0"), 2,
                "from 0.001 to 1000000");
        assertRefused(run("clients", "add", "fast", "--role", "reader", "--purpose", "x", "--rate-burst", "2.5"), 2,
                "invalid --rate-burst '2.5'", "whole number");
        assertRefused(run("clients", "add", "anonymous", "--role", "reader", "--purpose", "x"), 2,
                "'anonymous' is taken", "audit");
        assertThat(clientFile("fast")).doesNotExist();
    }

    @Test
    void listShowsNameRolesCreatedAndPurposeButNoKeyOrHash() throws IOException {
        Run empty = run("clients", "list");
        assertThat(empty.exitCode()).isZero();
        assertThat(empty.out()).contains("No API clients").contains("./lantaarn clients add");

        String key = lastLine(run("clients", "add", "ops", "--role", "operator", "--purpose", "Control room"));
        Files.writeString(home.resolve("etc/nl.lantaarn.http.auth.cfg"),
                "# by hand\napiKeyHashes = legacy-app:sha256:" + "ab".repeat(32) + "\n");

        Run list = run("clients", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.outLines()).hasSize(3);
        assertThat(list.outLines().get(0)).startsWith("NAME").contains("ROLES").contains("CREATED").contains("PURPOSE");
        assertThat(list.outLines().get(1)).startsWith("legacy-app").contains("admin").contains("apiKeyHashes");
        assertThat(list.outLines().get(2)).startsWith("ops").contains("operator").contains("Control room")
                .containsPattern("\\d{4}-\\d\\d-\\d\\dT");
        assertThat(list.out()).doesNotContain(key).doesNotContain("sha256").doesNotContain("ab".repeat(32))
                .doesNotContain(ClientStore.sha256Hex(key));
    }

    @Test
    void revokeRemovesTheClientFile() {
        run("clients", "add", "temp-research", "--role", "reader", "--purpose", "one-off study");
        assertThat(clientFile("temp-research")).exists();

        Run revoked = run("clients", "revoke", "temp-research");
        assertThat(revoked.exitCode()).as("%s", revoked).isZero();
        assertThat(revoked.out()).contains("Revoked API client 'temp-research'");
        assertThat(clientFile("temp-research")).doesNotExist();
        assertThat(run("clients", "list").out()).contains("No API clients");
    }

    @Test
    void refusalsNameWhatToFixWithTheirExitCode() throws IOException {
        assertThat(run("clients", "add", "taken", "--role", "reader", "--purpose", "first").exitCode()).isZero();

        assertRefused(run("clients", "add", "taken", "--role", "admin", "--purpose", "second"), 1,
                "an API client named 'taken' exists already", "choose another name");
        assertRefused(run("clients", "add", "Bad Name", "--role", "reader", "--purpose", "x"), 2,
                "invalid client name 'Bad Name'", "lower-case letters a-z, digits 0-9, '.', '_' and '-'");
        assertRefused(run("clients", "add", "../escape", "--role", "reader", "--purpose", "x"), 2,
                "invalid client name '../escape'");
        assertRefused(run("clients", "add", "x".repeat(65), "--role", "reader", "--purpose", "x"), 2,
                "1 to 64 characters");
        assertRefused(run("clients", "add", "guest", "--role", "superuser", "--purpose", "x"), 2,
                "unknown role 'superuser'", "reader, writer, operator, admin");
        assertRefused(run("clients", "add", "guest", "--role", "reader", "--purpose", "   "), 2,
                "the purpose is empty", "--purpose");
        assertRefused(run("clients", "add", "guest", "--role", "reader", "--purpose", "a\nb"), 2,
                "line break");
        assertRefused(run("clients", "add", "guest", "--role", "reader", "--purpose", "p".repeat(501)), 2,
                "keep it to 500");
        assertRefused(run("clients", "add", "guest", "--role", "reader", "--purpose", "${user.home}"), 2,
                "'${'");
        assertRefused(run("clients", "add", "guest", "--purpose", "x"), 2, "Missing required option", "--role",
                "--help");
        assertRefused(run("clients", "add", "guest", "--role", "reader"), 2, "Missing required option",
                "--purpose");
        assertRefused(run("clients", "revoke", "nobody"), 1, "there is no API client 'nobody'",
                "./lantaarn clients list");

        Files.writeString(home.resolve("etc/nl.lantaarn.http.auth.cfg"), "apiKeyHashes = old:sha256:"
                + "cd".repeat(32) + "\n");
        assertRefused(run("clients", "add", "old", "--role", "reader", "--purpose", "x"), 1,
                "'old' exists already", "apiKeyHashes");
        assertRefused(run("clients", "revoke", "old"), 1, "entry of apiKeyHashes", "remove 'old:sha256:...'");

        // nothing was written by a refused command
        try (Stream<Path> files = Files.list(home.resolve("etc"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "nl.lantaarn.http.client-taken.cfg", "nl.lantaarn.http.auth.cfg");
        }
    }

    @Test
    void theRolesAreTheHubs() {
        assertThat(ClientStore.ROLES).containsExactlyElementsOf(Arrays.stream(Role.values()).map(Role::id).toList());
    }

    private static void assertRefused(Run run, int exitCode, String... messageParts) {
        assertThat(run.exitCode()).as("exit code of %s", run).isEqualTo(exitCode);
        assertThat(run.out()).as("standard output of %s", run).doesNotContain("ltn_");
        assertThat(run.err()).as("error output").startsWith("lantaarn: ").contains(messageParts);
    }

    private static String lastLine(Run run) {
        assertThat(run.exitCode()).as("%s", run).isZero();
        List<String> lines = run.outLines();
        return lines.get(lines.size() - 1);
    }
}
