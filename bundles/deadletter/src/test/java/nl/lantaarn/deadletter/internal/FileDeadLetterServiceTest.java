package nl.lantaarn.deadletter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.deadletter.api.DeadLetter;

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
}
