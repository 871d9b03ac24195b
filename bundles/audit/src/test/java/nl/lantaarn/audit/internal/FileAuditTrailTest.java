package nl.lantaarn.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditPage;
import nl.lantaarn.audit.api.AuditQuery;
import nl.lantaarn.audit.api.AuditRecord;
import nl.lantaarn.health.api.ComponentHealth;

class FileAuditTrailTest {

    private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path home;

    private final List<FileAuditTrail> open = new ArrayList<>();
    private final TestClock clock = new TestClock(START);

    @AfterEach
    void closeAll() {
        open.forEach(FileAuditTrail::close);
    }

    private Path folder() {
        return home.resolve("data/audit");
    }

    private FileAuditTrail trail(int retentionDays, int queueSize, boolean start) {
        FileAuditTrail trail = new FileAuditTrail(new FileAuditTrail.Settings(folder(), retentionDays, queueSize),
                clock);
        open.add(trail);
        if (start) {
            trail.start();
        }
        return trail;
    }

    private static AuditEntry access(String client, String thing, int status) {
        return new AuditEntry(AuditKind.API_ACCESS, client, "Crowd levels", "GET /api/v1/things/" + thing, thing,
                Integer.toString(status), "from 192.0.2.7");
    }

    private static void recordAndWait(FileAuditTrail trail, int count) {
        long before = trail.statistics().written();
        for (int index = 0; index < count; index++) {
            trail.record(access("client-" + index, "nl.eindhoven.safety:noise-" + index, 200));
        }
        await().until(() -> trail.statistics().written() >= before + count);
    }

    private Path onlyFile() throws IOException {
        List<Path> files = TrailFiles.list(folder());
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void entriesAreChainedAndVerify() throws IOException {
        FileAuditTrail trail = trail(0, 1024, true);
        recordAndWait(trail, 5);

        Path file = onlyFile();
        assertThat(file.getFileName()).hasToString("audit-2026-11-24.jsonl");
        List<String> lines = lines(file);
        assertThat(lines).hasSize(5);
        String previous = TrailLine.GENESIS;
        for (int index = 0; index < 5; index++) {
            TrailLine.Parsed line = TrailLine.parse(lines.get(index), new StringBuilder()).orElseThrow();
            assertThat(line.sequence()).isEqualTo(index + 1);
            assertThat(line.prev()).isEqualTo(previous);
            assertThat(line.intact()).isTrue();
            assertThat(line.entry()).isEqualTo(access("client-" + index, "nl.eindhoven.safety:noise-" + index, 200));
            previous = line.hash();
        }
        TrailVerifier.Result result = TrailVerifier.verify(folder());
        assertThat(result.intact()).isTrue();
        assertThat(result.entries()).isEqualTo(5);
        assertThat(result.last()).isEqualTo(5);
        assertThat(result.lastHash()).isEqualTo(previous);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theChainContinuesAcrossRestartsAndDays() throws IOException {
        FileAuditTrail first = trail(0, 1024, true);
        recordAndWait(first, 3);
        first.close();

        clock.advance(Duration.ofDays(1));
        FileAuditTrail second = trail(0, 1024, true);
        recordAndWait(second, 2);
        second.close();

        List<Path> files = TrailFiles.list(folder());
        assertThat(files).extracting(path -> path.getFileName().toString())
                .containsExactly("audit-2026-11-24.jsonl", "audit-2026-11-25.jsonl");
        TrailLine.Parsed lastOfFirst = FileAuditTrail.lastEntry(files.get(0)).orElseThrow();
        TrailLine.Parsed firstOfSecond = TrailLine.parse(lines(files.get(1)).get(0), new StringBuilder())
                .orElseThrow();
        assertThat(firstOfSecond.sequence()).isEqualTo(4);
        assertThat(firstOfSecond.prev()).isEqualTo(lastOfFirst.hash());
        TrailVerifier.Result result = TrailVerifier.verify(folder());
        assertThat(result.problem()).isEmpty();
        assertThat(result.entries()).isEqualTo(5);
        assertThat(result.files()).isEqualTo(2);
    }

    @Test
    void anAlteredEntryIsNamed() throws IOException {
        recordAndWait(trail(0, 1024, true), 5);
        Path file = onlyFile();
        List<String> lines = lines(file);
        lines.set(2, lines.get(2).replace("\"outcome\":\"200\"", "\"outcome\":\"403\""));
        write(file, lines);

        TrailVerifier.Break problem = TrailVerifier.verify(folder()).problem().orElseThrow();
        assertThat(problem.what()).isEqualTo("altered");
        assertThat(problem.file()).isEqualTo("audit-2026-11-24.jsonl");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.sequence()).isEqualTo(3);
    }

    @Test
    void anAlteredEntryWhoseHashWasRecomputedIsNamedByTheNextLink() throws IOException {
        recordAndWait(trail(0, 1024, true), 5);
        Path file = onlyFile();
        List<String> lines = lines(file);
        TrailLine.Parsed third = TrailLine.parse(lines.get(2), new StringBuilder()).orElseThrow();
        AuditEntry forged = new AuditEntry(AuditKind.API_ACCESS, "someone-else", "", "GET /", "", "200", "");
        lines.set(2, TrailLine.render(3, third.time().toEpochMilli(), forged, third.prev()));
        write(file, lines);

        TrailVerifier.Break problem = TrailVerifier.verify(folder()).problem().orElseThrow();
        assertThat(problem.what()).isEqualTo("altered");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.sequence()).isEqualTo(3);
    }

    @Test
    void anInsertedEntryIsNamed() throws IOException {
        recordAndWait(trail(0, 1024, true), 5);
        Path file = onlyFile();
        List<String> lines = lines(file);
        TrailLine.Parsed second = TrailLine.parse(lines.get(1), new StringBuilder()).orElseThrow();
        // a well-formed entry that links correctly to the one before it: only the chain after it can tell
        lines.add(2, TrailLine.render(3, second.time().toEpochMilli(), access("intruder", "x:y", 200),
                second.hash()));
        write(file, lines);

        TrailVerifier.Break problem = TrailVerifier.verify(folder()).problem().orElseThrow();
        assertThat(problem.what()).isEqualTo("inserted");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.sequence()).isEqualTo(3);
        assertThat(problem.detail()).contains("line 4");
    }

    @Test
    void aRemovedEntryIsNamed() throws IOException {
        recordAndWait(trail(0, 1024, true), 5);
        Path file = onlyFile();
        List<String> lines = lines(file);
        lines.remove(2);
        write(file, lines);

        TrailVerifier.Break problem = TrailVerifier.verify(folder()).problem().orElseThrow();
        assertThat(problem.what()).isEqualTo("removed");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.sequence()).isEqualTo(4);
        assertThat(problem.detail()).contains("sequence 3").contains("line 2");
    }

    @Test
    void aRemovedFileIsNamedWhetherFirstOrInTheMiddle() throws IOException {
        for (int day = 0; day < 3; day++) {
            FileAuditTrail trail = trail(0, 1024, true);
            recordAndWait(trail, 2);
            trail.close();
            clock.advance(Duration.ofDays(1));
        }
        List<Path> files = TrailFiles.list(folder());
        assertThat(files).hasSize(3);
        Path middle = files.get(1);
        byte[] kept = Files.readAllBytes(middle);
        Files.delete(middle);
        TrailVerifier.Break problem = TrailVerifier.verify(folder()).problem().orElseThrow();
        assertThat(problem.what()).isEqualTo("removed");
        assertThat(problem.file()).isEqualTo("audit-2026-11-26.jsonl");
        assertThat(problem.line()).isEqualTo(1);

        Files.write(middle, kept);
        Files.delete(files.get(0));
        problem = TrailVerifier.verify(folder()).problem().orElseThrow();
        assertThat(problem.what()).isEqualTo("removed");
        assertThat(problem.file()).isEqualTo("audit-2026-11-25.jsonl");
        assertThat(problem.detail()).contains("no retention entry");
    }

    @Test
    void retentionRemovesOldFilesAndTheRestStillVerifies() throws IOException {
        FileAuditTrail first = trail(2, 1024, true);
        recordAndWait(first, 3);
        first.close();
        clock.advance(Duration.ofDays(1));
        FileAuditTrail second = trail(2, 1024, true);
        recordAndWait(second, 3);
        second.close();
        clock.advance(Duration.ofDays(2));

        FileAuditTrail third = trail(2, 1024, true);
        recordAndWait(third, 1);
        third.close();

        assertThat(TrailFiles.list(folder())).extracting(path -> path.getFileName().toString())
                .containsExactly("audit-2026-11-25.jsonl", "audit-2026-11-27.jsonl");
        List<String> newest = lines(folder().resolve("audit-2026-11-27.jsonl"));
        TrailLine.Parsed anchor = TrailLine.parse(newest.get(0), new StringBuilder()).orElseThrow();
        assertThat(anchor.entry().kind()).isEqualTo(AuditKind.TRAIL);
        assertThat(anchor.entry().resource()).isEqualTo("audit-2026-11-24.jsonl");
        assertThat(anchor.entry().outcome()).isEqualTo("deleted");
        assertThat(anchor.entry().detail()).contains("up to sequence 3, last hash ");
        TrailVerifier.Result result = TrailVerifier.verify(folder());
        assertThat(result.problem()).isEmpty();
        assertThat(result.first()).isEqualTo(4);

        // removing the oldest file that retention kept is still found: it does not end where the anchor says
        Files.delete(folder().resolve("audit-2026-11-25.jsonl"));
        TrailVerifier.Break problem = TrailVerifier.verify(folder()).problem().orElseThrow();
        assertThat(problem.what()).isEqualTo("removed");
        assertThat(problem.detail()).contains("audit-2026-11-24.jsonl");
    }

    @Test
    void aFullQueueLosesEntriesCountedMarkedAndReported() throws IOException {
        FileAuditTrail trail = trail(0, 16, false);
        for (int index = 0; index < 20; index++) {
            trail.record(access("c", "a:b", 200));
        }
        assertThat(trail.statistics().lost()).isEqualTo(4);
        assertThat(trail.statistics().queued()).isEqualTo(16);
        assertThat(trail.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(trail.health().detail()).contains("4 audit entries lost").contains("queueSize");

        trail.start();
        await().until(() -> trail.statistics().written() == 17);
        List<String> lines = lines(onlyFile());
        TrailLine.Parsed mark = TrailLine.parse(lines.get(0), new StringBuilder()).orElseThrow();
        assertThat(mark.entry().kind()).isEqualTo(AuditKind.TRAIL);
        assertThat(mark.entry().outcome()).isEqualTo("lost");
        assertThat(mark.entry().detail()).startsWith("4 entries lost: the audit queue of 16 was full");
        assertThat(TrailVerifier.verify(folder()).problem()).isEmpty();
        assertThat(trail.health().status()).isEqualTo(ComponentHealth.Status.DEGRADED);
    }

    @Test
    void aPartialLastLineIsRemovedAtStartAndRecorded() throws IOException {
        FileAuditTrail first = trail(0, 1024, true);
        recordAndWait(first, 2);
        first.close();
        Files.writeString(onlyFile(), "{\"seq\":3,\"time\":\"2026-", StandardOpenOption.APPEND);
        assertThat(TrailVerifier.verify(folder()).note()).contains("no line break");

        FileAuditTrail second = trail(0, 1024, true);
        recordAndWait(second, 1);
        List<String> lines = lines(onlyFile());
        assertThat(lines).hasSize(4);
        TrailLine.Parsed repair = TrailLine.parse(lines.get(2), new StringBuilder()).orElseThrow();
        assertThat(repair.sequence()).isEqualTo(3);
        assertThat(repair.entry().outcome()).isEqualTo("repaired");
        assertThat(repair.entry().detail()).contains("22 bytes");
        TrailVerifier.Result result = TrailVerifier.verify(folder());
        assertThat(result.problem()).isEmpty();
        assertThat(result.note()).isEmpty();
    }

    @Test
    void queriesFilterAndPageNewestFirst() throws IOException {
        FileAuditTrail trail = trail(0, 1024, true);
        for (int index = 1; index <= 6; index++) {
            trail.record(access(index % 2 == 0 ? "even" : "odd", "t:" + index, 200));
            clock.advance(Duration.ofMinutes(1));
        }
        trail.record(new AuditEntry(AuditKind.CONFIGURATION_CHANGE, "operator", "", "etc/x.cfg", "", "updated",
                "keys changed: a"));
        await().until(() -> trail.statistics().written() == 7);

        AuditPage all = trail.query(AuditQuery.newest(100));
        assertThat(all.records()).extracting(AuditRecord::sequence).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(all.next()).isEmpty();

        AuditQuery evens = new AuditQuery(null, null, "even", null, null, Set.of(), 0, 2);
        AuditPage page = trail.query(evens);
        assertThat(page.records()).extracting(record -> record.entry().thingId()).containsExactly("t:6", "t:4");
        assertThat(page.next()).hasValue(4);
        AuditPage rest = trail.query(evens.before(page.next().getAsLong()));
        assertThat(rest.records()).extracting(record -> record.entry().thingId()).containsExactly("t:2");
        assertThat(rest.next()).isEmpty();

        assertThat(trail.query(new AuditQuery(null, null, null, "t:3", null, Set.of(), 0, 10)).records())
                .extracting(AuditRecord::sequence).containsExactly(3L);
        assertThat(trail.query(new AuditQuery(null, null, null, null, null,
                Set.of(AuditKind.CONFIGURATION_CHANGE), 0, 10)).records()).extracting(AuditRecord::sequence)
                .containsExactly(7L);
        assertThat(trail.query(new AuditQuery(START.plus(Duration.ofMinutes(2)), START.plus(Duration.ofMinutes(4)),
                null, null, "crowd", Set.of(AuditKind.API_ACCESS), 0, 10)).records())
                .extracting(AuditRecord::sequence).containsExactly(4L, 3L);
    }
}
