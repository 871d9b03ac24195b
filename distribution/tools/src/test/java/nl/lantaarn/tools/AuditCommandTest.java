package nl.lantaarn.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.internal.FileAuditTrail;
import picocli.CommandLine;

/** {@code audit verify} in-process, as ./lantaarn runs it, on a trail the hub's own writer wrote. */
class AuditCommandTest {

    @TempDir
    Path home;
    private Path file;

    record Run(int exitCode, String out, String err) {
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

    @BeforeEach
    void writeTrail() throws IOException {
        Path folder = home.resolve("data/audit");
        FileAuditTrail trail = new FileAuditTrail(folder, 0, 1024);
        for (int index = 1; index <= 5; index++) {
            trail.record(new AuditEntry(AuditKind.API_ACCESS, "ops", "operating the hub", "GET /api/v1/things",
                    "", "200", "from 127.0.0.1 #" + index));
        }
        trail.close();
        try (var files = Files.list(folder)) {
            file = files.filter(path -> path.getFileName().toString().startsWith("audit-")).findFirst()
                    .orElseThrow();
        }
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private void write(List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void anIntactTrailPasses() {
        Run run = run("audit", "verify");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("is intact: 5 entries, sequence 1 to 5, in 1 file.").contains("Last hash: ");
    }

    @Test
    void anAlteredEntryFailsNamingFileLineAndSequence() throws IOException {
        List<String> lines = lines();
        lines.set(1, lines.get(1).replace("#2", "#9"));
        write(lines);
        Run run = run("audit", "verify");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("BROKEN after 1 intact entries: altered at " + file.getFileName()
                + " line 2 (sequence 2)");
    }

    @Test
    void anInsertedEntryFailsNamingFileLineAndSequence() throws IOException {
        List<String> lines = lines();
        lines.add(3, lines.get(2));
        write(lines);
        Run run = run("audit", "verify");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("inserted at " + file.getFileName() + " line 4 (sequence 3)");
    }

    @Test
    void aRemovedEntryFailsNamingFileLineAndSequence() throws IOException {
        List<String> lines = lines();
        lines.remove(3);
        write(lines);
        Run run = run("audit", "verify");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("removed at " + file.getFileName() + " line 4 (sequence 5)")
                .contains("sequence 4");
    }

    @Test
    void theFolderComesFromTheConfigurationOrTheOption() throws IOException {
        Path moved = Files.move(home.resolve("data/audit"), home.resolve("elsewhere"));
        Run missing = run("audit", "verify");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no audit entries in " + home.resolve("data/audit"));

        assertThat(run("audit", "verify", "--dir", moved.toString()).exitCode()).isZero();
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/nl.lantaarn.audit.cfg"), "directory = elsewhere\n");
        assertThat(run("audit", "verify").out()).contains("The audit trail in " + moved + " is intact");
    }
}
