package nl.lantaarn.deadletter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterQuery;
import nl.lantaarn.personaldata.api.RetentionRules;

class FileDeadLetterServiceTest {

    @TempDir
    Path dir;

    @Test
    void recordsListsAndSurvivesRestart() throws Exception {
        FileDeadLetterService service = new FileDeadLetterService(dir, 100);
        DeadLetter first = service.record("demo-noise", "sim/noise/n-1", "payload is not JSON", "oops".getBytes(StandardCharsets.UTF_8),
                Instant.parse("2026-11-23T21:14:05Z"));
        service.record("demo-crowd", "sim/crowd/c-1", "field 'count' is missing", new byte[] {0, 1, 2}, Instant.now());
        assertThat(service.count()).isEqualTo(2);
        assertThat(service.list(null, 10)).hasSize(2).first().extracting(DeadLetter::source).isEqualTo("demo-crowd");
        assertThat(service.list("demo-noise", 10)).containsExactly(first);
        service.close();

        Files.writeString(dir.resolve(FileDeadLetterService.FILE_NAME), "{\"torn", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        FileDeadLetterService reopened = new FileDeadLetterService(dir, 100);
        assertThat(reopened.count()).isEqualTo(2);
        assertThat(reopened.list("demo-noise", 10)).containsExactly(first);
        assertThat(reopened.list("demo-crowd", 1).get(0).payload()).containsExactly(0, 1, 2);
        assertThat(reopened.health().status().name()).isEqualTo("UP");
        reopened.record("a", "t", "after a torn line", new byte[0], Instant.now());
        reopened.close();
        assertThat(new FileDeadLetterService(dir, 100).count()).isEqualTo(3);
    }

    @Test
    void memoryIsBoundedButCountIsNot() {
        FileDeadLetterService service = new FileDeadLetterService(dir, 3);
        for (int i = 0; i < 5; i++) {
            service.record("a", "t", "r" + i, new byte[0], Instant.now());
        }
        assertThat(service.count()).isEqualTo(5);
        assertThat(service.list(null, 10)).extracting(DeadLetter::reason).containsExactly("r4", "r3", "r2");
        service.close();
    }

    private static final Instant T0 = Instant.parse("2026-11-23T21:00:00Z");

    private static DeadLetter record(FileDeadLetterService service, String source, String reason, int minute) {
        return service.record(source, "sim/" + source, reason, ("p" + minute).getBytes(StandardCharsets.UTF_8),
                T0.plusSeconds(60L * minute));
    }

    private long lines() throws Exception {
        return Files.readAllLines(dir.resolve(FileDeadLetterService.FILE_NAME)).stream()
                .filter(line -> !line.isBlank()).count();
    }

    @Test
    void removalsAndNewReasonsSurviveARestart() throws Exception {
        FileDeadLetterService service = new FileDeadLetterService(dir, 100);
        DeadLetter a = record(service, "ttn", "field 'laeq' is missing", 0);
        DeadLetter b = record(service, "ttn", "payload is not JSON", 1);
        DeadLetter c = record(service, "crowd", "count is negative", 2);

        assertThat(service.remove(b.id())).isTrue();
        assertThat(service.remove(b.id())).isFalse();
        assertThat(service.remove("no-such-id")).isFalse();
        assertThat(service.updateReason(a.id(), "still: field 'laeq' is missing")).isTrue();
        assertThat(service.updateReason("no-such-id", "x")).isFalse();
        assertThat(service.count()).isEqualTo(2);
        assertThat(service.get(b.id())).isEmpty();
        assertThat(service.get(a.id()).orElseThrow().reason()).isEqualTo("still: field 'laeq' is missing");
        assertThat(service.get(a.id()).orElseThrow().payload()).isEqualTo(a.payload());
        assertThat(service.list(null, 10)).extracting(DeadLetter::id).containsExactly(c.id(), a.id());
        service.close();

        FileDeadLetterService reopened = new FileDeadLetterService(dir, 100);
        assertThat(reopened.count()).isEqualTo(2);
        assertThat(reopened.get(b.id())).isEmpty();
        assertThat(reopened.get(a.id()).orElseThrow().reason()).isEqualTo("still: field 'laeq' is missing");
        assertThat(reopened.get(c.id()).orElseThrow()).isEqualTo(c);
        assertThat(reopened.list(null, 10)).extracting(DeadLetter::id).containsExactly(c.id(), a.id());
        reopened.close();
    }

    @Test
    void filtersBySourceReasonAndTimeNewestFirst() {
        FileDeadLetterService service = new FileDeadLetterService(dir, 100);
        DeadLetter a = record(service, "ttn", "Field 'laeq' is missing", 0);
        DeadLetter b = record(service, "ttn", "payload is not JSON", 10);
        DeadLetter c = record(service, "crowd", "field 'count' is missing", 20);

        assertThat(service.list(new DeadLetterQuery("ttn", null, null, null, 10))).containsExactly(b, a);
        assertThat(service.list(new DeadLetterQuery(null, "FIELD", null, null, 10))).containsExactly(c, a);
        assertThat(service.list(new DeadLetterQuery(null, null, T0.plusSeconds(600), null, 10))).containsExactly(c, b);
        // since is inclusive, until exclusive
        assertThat(service.list(new DeadLetterQuery(null, null, T0, T0.plusSeconds(600), 10))).containsExactly(a);
        assertThat(service.list(new DeadLetterQuery(null, "missing", null, null, 1))).containsExactly(c);
        assertThat(service.list(new DeadLetterQuery("ttn", "count", null, null, 10))).isEmpty();
        assertThat(service.list(null, 0)).isEmpty();
        service.close();
    }

    @Test
    void lettersBeyondTheMemoryWindowAreReadFromTheFileAndMoveUpWhenNewerOnesGo() throws Exception {
        FileDeadLetterService service = new FileDeadLetterService(dir, 2);
        List<DeadLetter> letters = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            letters.add(record(service, "ttn", "r" + i, i));
        }
        assertThat(service.list(null, 10)).extracting(DeadLetter::reason).containsExactly("r4", "r3");
        // the oldest is only in the file, and still found, changed and removed by id
        assertThat(service.get(letters.get(0).id())).contains(letters.get(0));
        assertThat(service.updateReason(letters.get(1).id(), "r1 again")).isTrue();
        assertThat(service.get(letters.get(1).id()).orElseThrow().reason()).isEqualTo("r1 again");
        assertThat(service.remove(letters.get(4).id())).isTrue();
        assertThat(service.remove(letters.get(3).id())).isTrue();
        assertThat(service.list(null, 10)).extracting(DeadLetter::reason).containsExactly("r2", "r1 again");
        assertThat(service.count()).isEqualTo(3);
        service.close();

        FileDeadLetterService reopened = new FileDeadLetterService(dir, 2);
        assertThat(reopened.list(null, 10)).extracting(DeadLetter::reason).containsExactly("r2", "r1 again");
        assertThat(reopened.get(letters.get(0).id())).contains(letters.get(0));
        assertThat(reopened.count()).isEqualTo(3);
        reopened.close();
    }

    @Test
    void rewritesTheFileWhenSupersededLinesDominate() throws Exception {
        FileDeadLetterService service = new FileDeadLetterService(dir, 100, 4);
        DeadLetter keep = record(service, "ttn", "kept", 0);
        DeadLetter b = record(service, "ttn", "b", 1);
        DeadLetter c = record(service, "ttn", "c", 2);
        service.updateReason(keep.id(), "kept, new reason");
        assertThat(lines()).isEqualTo(4); // three records and a reason change: 1 superseded line, 3 live
        service.remove(b.id()); // 3 superseded, 2 live
        assertThat(lines()).isEqualTo(5);
        service.remove(c.id()); // 5 superseded, 1 live: rewritten
        assertThat(lines()).isEqualTo(1);
        assertThat(service.linesInFile()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve(FileDeadLetterService.FILE_NAME))).contains("kept, new reason")
                .doesNotContain("\"op\"");
        assertThat(Files.exists(dir.resolve(FileDeadLetterService.FILE_NAME + ".compacting"))).isFalse();
        // after the rewrite the file is appended to as before
        DeadLetter d = record(service, "crowd", "d", 3);
        service.updateReason(d.id(), "d, new reason");
        service.close();

        FileDeadLetterService reopened = new FileDeadLetterService(dir, 100, 4);
        assertThat(reopened.list(null, 10)).extracting(DeadLetter::reason).containsExactly("d, new reason",
                "kept, new reason");
        assertThat(reopened.get(keep.id()).orElseThrow().payload()).isEqualTo(keep.payload());
        reopened.close();
    }

    @Test
    void rewritesAtStartWhenTheFileIsMostlySuperseded() throws Exception {
        FileDeadLetterService service = new FileDeadLetterService(dir, 100, 1_000_000);
        DeadLetter keep = record(service, "ttn", "kept", 0);
        for (int i = 1; i <= 5; i++) {
            service.remove(record(service, "ttn", "gone", i).id());
        }
        service.close();
        assertThat(lines()).isEqualTo(11);

        FileDeadLetterService reopened = new FileDeadLetterService(dir, 100, 4);
        assertThat(lines()).isEqualTo(1);
        assertThat(reopened.list(null, 10)).containsExactly(keep);
        reopened.close();
    }

    @Test
    void operationsAfterATornLineAreApplied() throws Exception {
        FileDeadLetterService service = new FileDeadLetterService(dir, 100);
        DeadLetter a = record(service, "ttn", "a", 0);
        service.close();
        Files.writeString(dir.resolve(FileDeadLetterService.FILE_NAME), "{\"id\":\"torn", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        FileDeadLetterService reopened = new FileDeadLetterService(dir, 100);
        assertThat(reopened.updateReason(a.id(), "a, new reason")).isTrue();
        DeadLetter b = record(reopened, "ttn", "b", 1);
        reopened.close();

        FileDeadLetterService third = new FileDeadLetterService(dir, 100);
        assertThat(third.list(null, 10)).extracting(DeadLetter::reason).containsExactly("b", "a, new reason");
        assertThat(third.remove(b.id())).isTrue();
        third.close();
        assertThat(new FileDeadLetterService(dir, 100).count()).isEqualTo(1);
    }

    /** Rules for tests: each source its own retention, one day for the rest. */
    static RetentionRules rules(java.util.Map<String, java.time.Duration> bySource) {
        return new RetentionRules() {
            @Override
            public java.util.Optional<java.time.Duration> feature(String thingId, String featureId) {
                return java.util.Optional.empty();
            }

            @Override
            public java.time.Duration thing(String thingId) {
                return fallback();
            }

            @Override
            public java.time.Duration source(String source) {
                return bySource.getOrDefault(source, fallback());
            }

            @Override
            public java.time.Duration fallback() {
                return java.time.Duration.ofDays(1);
            }
        };
    }

    @Test
    void retentionPerSourceAndErasureLeaveNothingInTheFile() throws Exception {
        FileDeadLetterService service = new FileDeadLetterService(dir, 2);
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        service.record("citizen-reports", "/ingest/open311", "no service_code",
                "{\"email\":\"a@b.nl\",\"reporter\":\"ps-7f3a9c\"}".getBytes(StandardCharsets.UTF_8),
                now.minus(java.time.Duration.ofDays(3)));
        service.record("crowd", "sim/crowd/c-0042", "count missing", "{}".getBytes(StandardCharsets.UTF_8),
                now.minus(java.time.Duration.ofDays(3)));
        service.record("crowd", "sim/crowd/c-00421", "count missing", "{}".getBytes(StandardCharsets.UTF_8),
                now.minus(java.time.Duration.ofDays(3)));
        service.record("lighting", "ctl/l-1", "unknown scene", "{\"lamp\":\"l-1\"}".getBytes(StandardCharsets.UTF_8),
                now.minus(java.time.Duration.ofHours(2)));

        // a thing is found by its full id or by its name as a whole word; a pseudonym anywhere
        assertThat(service.export(nl.lantaarn.personaldata.api.DataSubject.thing("nl.x.crowd:c-0042")))
                .singleElement().asString().contains("sim/crowd/c-0042\"");
        assertThat(service.export(nl.lantaarn.personaldata.api.DataSubject.pseudonym("ps-7f3a9c"))).hasSize(1);

        assertThat(service.erase(nl.lantaarn.personaldata.api.DataSubject.pseudonym("ps-7f3a9c"))).isEqualTo(1);
        assertThat(Files.readString(dir.resolve(FileDeadLetterService.FILE_NAME))).doesNotContain("ps-7f3a9c")
                .doesNotContain("a@b.nl");

        // crowd keeps 7 days, the rest one day: the three-day-old crowd letters stay, lighting's two hours too
        assertThat(service.expire(rules(java.util.Map.of("crowd", java.time.Duration.ofDays(7))), now)).isZero();
        assertThat(service.expire(rules(java.util.Map.of()), now)).isEqualTo(2);
        assertThat(service.count()).isEqualTo(1);
        assertThat(service.expire(rules(java.util.Map.of()), now.plus(java.time.Duration.ofDays(1)))).isEqualTo(1);
        assertThat(service.count()).isZero();
        service.close();
        assertThat(new FileDeadLetterService(dir, 2).count()).isZero();
    }
}
