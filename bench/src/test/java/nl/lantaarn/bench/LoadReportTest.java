package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result line of {@code load}: the numbers as compare-table reads them (whole values without a fraction or an
 * exponent, even ten million; unknown values null), and compare-table reading the line back.
 */
class LoadReportTest {

    @TempDir
    Path dir;

    @Test
    void writesWholeNumbersPlainlyAndUnknownsAsNull() throws Exception {
        Histogram latency = new Histogram(3);
        latency.recordValue(1_500);
        latency.recordValue(2_500);
        LoadOutputs.Counts outputs = new LoadOutputs.Counts(30_000_000, 30_000_000, 20_000_000, 0, 0, 0, 20_000_000,
                0, 5, latency, null);
        LoadReport report = new LoadReport(
                new LoadReport.Setup("hub \"a\"", "qos1-max", "processed", 1, 10_000_000, 300, 4, 4000, 1, 2, 30),
                30_000_000, 30_000_000, 0, 20_000_000, outputs, 0, false, 4,
                List.of(new LoadReport.Usage(42, "java", Double.NaN, 2048, 4096, -1)), 0.25, "1.00 2.00 3.00", "x");

        String json = report.json();

        assertThat(json).doesNotContain("\n").doesNotContain("E7").doesNotContain(" :")
                .startsWith("{\"label\":\"hub \\\"a\\\"\",\"phase\":\"qos1-max\",\"mode\":\"processed\",\"qos\":1,"
                        + "\"rate\":10000000,")
                .contains("\"published\":30000000,", "\"publishRate\":10000000,", "\"readerBroke\":false,",
                        "\"throughput\":10000000,", "\"latencyFromDueMs\":null,", "\"generatorCores\":0.25,",
                        "\"durationS\":2,")
                .contains("{\"pid\":42,\"name\":\"java\",\"cores\":null,\"rssMb\":2,\"peakRssMb\":4,\"heapUsedMb\":null}")
                .endsWith("\"ok\":true}");
        Path results = Files.writeString(dir.resolve("results.jsonl"), json + "\n", StandardCharsets.UTF_8);
        CompareTableCommand.Row row = CompareTableCommand.read(results).get(0);
        assertThat(row.setup()).isEqualTo("hub \"a\"");
        assertThat(row.rate()).isEqualTo(10_000_000);
        assertThat(row.throughput()).isEqualTo(10_000_000);
        assertThat(row.lost()).isZero();
        assertThat(row.latency().p50()).isEqualTo(1.5);
        assertThat(row.memoryMb()).isEqualTo(4);
        assertThat(row.ok()).isTrue();
    }
}
