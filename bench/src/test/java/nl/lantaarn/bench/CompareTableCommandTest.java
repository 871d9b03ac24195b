package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class CompareTableCommandTest {

    @TempDir
    Path dir;

    private static String line(String setup, String phase, int qos, String rate, double throughput, long lost,
            double p99, String processes) {
        return "{\"label\":\"" + setup + "\",\"phase\":\"" + phase + "\",\"qos\":" + qos + ",\"rate\":" + rate
                + ",\"publishRate\":" + throughput + ",\"throughput\":" + throughput + ",\"lost\":" + lost
                + ",\"duplicates\":0,\"latencyMs\":{\"p50\":1.5,\"p95\":3,\"p99\":" + p99 + ",\"p999\":9,\"max\":12,"
                + "\"mean\":2},\"processes\":" + processes + ",\"ok\":" + (lost == 0) + "}";
    }

    private String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new CommandLine(new CompareTableCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .execute(args);
        assertThat(code).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsEveryRunAndTheRatiosAgainstTheTargets() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.write(results, java.util.List.of(
                line("mosquitto", "qos1-max", 1, "\"max\"", 40_000, 0, 4, "[{\"pid\":1,\"cores\":0.8,\"peakRssMb\":12}]"),
                line("node-red", "qos1-max", 1, "\"max\"", 2_000, 0, 40, "[{\"pid\":2,\"cores\":1.0,\"peakRssMb\":90}]"),
                line("lantaarn", "qos1-max", 1, "\"max\"", 12_000, 0, 30,
                        "[{\"pid\":3,\"cores\":1.5,\"peakRssMb\":900,\"heapUsedMb\":300}]"),
                line("lantaarn", "qos1-10000", 1, "10000", 9_990, 3, 61, "[{\"pid\":3,\"cores\":1.2,\"heapUsedMb\":280}]"),
                ""), StandardCharsets.UTF_8);

        String out = run("--results", results.toString());

        assertThat(out).contains("| mosquitto | qos1-max | 1 | max | 40,000 | 40,000 | 1.50 | 3.00 | 4.00 | 12.00 | 0 | 0 | 0.80 | 12 |")
                .contains("| lantaarn | qos1-max | 1 | max | 12,000 | 12,000 |")
                .contains("lantaarn: 12,000 messages/s end to end at QoS 1 (target >= 20,000): MISSED")
                .contains("30 % of bare Mosquitto's 40,000/s at QoS 1 (target >= 50 %): MISSED")
                .contains("6.0 x Node-RED's 2,000/s (target >= 5 x): met")
                .contains("p99 61.00 ms at 10,000/s asked, 9,990/s delivered (target <= 50 ms at 10,000/s): MISSED")
                .contains("qos1-10000: 3 lost at QoS 1 (target 0): MISSED")
                .contains("qos1-max: 0 lost at QoS 1 (target 0): met")
                // the heap of a JVM, the resident memory otherwise
                .contains("| 1.50 | 300 |");
        assertThat(out).doesNotContain("lantaarn-mosquitto:");
    }

    @Test
    void theBestQos1ThroughputOfOneSetUpForTheScript() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.writeString(results, line("lantaarn", "qos1-max", 1, "\"max\"", 1234.6, 0, 3, "[]") + "\n"
                + line("lantaarn", "qos1-2000", 1, "2000", 1999.7, 0, 3, "[]") + "\n"
                + line("lantaarn", "qos0-2000", 0, "2000", 5000, 0, 3, "[]") + "\n");

        assertThat(run("--results", results.toString(), "--sustained", "lantaarn").trim()).isEqualTo("2000");
        assertThat(run("--results", results.toString(), "--sustained", "node-red").trim()).isEqualTo("0");
    }

    @Test
    void aLineThatIsNoResultIsNamed() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.writeString(results, line("lantaarn", "qos1-max", 1, "\"max\"", 1, 0, 3, "[]") + "\nnot json\n");

        assertThatThrownBy(() -> CompareTableCommand.read(results)).isInstanceOf(ToolException.class)
                .hasMessageContaining("line 2 is not a result line");
    }
}
