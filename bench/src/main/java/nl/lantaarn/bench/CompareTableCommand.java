package nl.lantaarn.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The table of a compare run ({@code bench/compare.sh}): one row per set-up and phase from the JSON lines that
 * {@code load --result-file} appended, then the ratios between the set-ups and the targets, each marked met or
 * missed. With {@code --sustained} it prints what one set-up sustained, for the script's burst.
 */
@Command(name = "compare-table", mixinStandardHelpOptions = true,
        description = "Print the table and ratios of a compare run from the result lines of `load --result-file`.")
final class CompareTableCommand implements Callable<Integer> {

    static final String BARE = "mosquitto";
    static final String FLOW = "node-red";
    static final List<String> HUBS = List.of("lantaarn", "lantaarn-mosquitto");
    static final String MAX_PHASE = "qos1-max";

    @Option(names = "--results", paramLabel = "F", required = true, description = "The result lines (JSON, one per run).")
    Path results;

    @Option(names = "--sustained", paramLabel = "SETUP",
            description = "Print only the best throughput (whole messages/s) of this set-up's QoS 1 runs (qos1-*); "
                    + "0 when it has none.")
    String sustainedOf;

    private final PrintStream out;

    CompareTableCommand() {
        this(System.out);
    }

    CompareTableCommand(PrintStream out) {
        this.out = out;
    }

    /** One run's figures, as far as the table needs them. */
    record Row(String setup, String phase, int qos, double rate, double publishRate, double throughput, long lost,
            long duplicates, Latency latency, double cores, double memoryMb, boolean ok) {
    }

    /** Latency percentiles in ms. */
    record Latency(double p50, double p95, double p99, double max) {
    }

    @Override
    public Integer call() throws IOException, ToolException {
        List<Row> rows = read(results);
        if (sustainedOf != null) {
            out.println(Math.round(sustained(rows, sustainedOf)));
            return 0;
        }
        print(rows);
        return 0;
    }

    static List<Row> read(Path file) throws IOException, ToolException {
        List<Row> rows = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(row(Json.parse(line).asObject()));
            } catch (ParseException | UnsupportedOperationException e) {
                throw new ToolException(file + " line " + number + " is not a result line of `load`: " + e.getMessage());
            }
        }
        return rows;
    }

    private static Row row(JsonObject o) {
        JsonValue rate = o.get("rate");
        JsonValue latency = o.get("latencyMs");
        Latency l = latency == null || latency.isNull() ? null
                : new Latency(number(latency.asObject(), "p50"), number(latency.asObject(), "p95"),
                        number(latency.asObject(), "p99"), number(latency.asObject(), "max"));
        double cores = 0;
        double memory = 0;
        JsonValue processes = o.get("processes");
        if (processes != null && processes.isArray()) {
            for (JsonValue p : processes.asArray()) {
                cores += orZero(number(p.asObject(), "cores"));
                // a JVM's heap in use when known (after the run), else the process's peak resident memory
                double heap = number(p.asObject(), "heapUsedMb");
                memory += Double.isNaN(heap) ? orZero(number(p.asObject(), "peakRssMb")) : heap;
            }
        }
        return new Row(o.getString("label", "?"), o.getString("phase", "?"), o.getInt("qos", -1),
                rate == null || !rate.isNumber() ? Double.NaN : rate.asDouble(),
                number(o, "publishRate"), number(o, "throughput"), o.getLong("lost", -1),
                o.getLong("duplicates", -1), l, cores, memory, o.getBoolean("ok", false));
    }

    private static double number(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    static double sustained(List<Row> rows, String setup) {
        return rows.stream().filter(r -> r.setup().equals(setup) && r.phase().startsWith("qos1-"))
                .mapToDouble(Row::throughput).filter(t -> !Double.isNaN(t)).max().orElse(0);
    }

    static Optional<Row> find(List<Row> rows, String setup, String phase) {
        // the last run of that set-up and phase counts
        Row found = null;
        for (Row r : rows) {
            if (r.setup().equals(setup) && r.phase().equals(phase)) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }

    void print(List<Row> rows) {
        out.println("| set-up | phase | QoS | rate asked | published/s | outputs/s | p50 ms | p95 ms | p99 ms | max ms "
                + "| lost | duplicates | CPU (cores) | memory (MB) |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            Latency l = r.latency();
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d | %d | %.2f | %.0f |%n",
                    r.setup(), r.phase(), r.qos(), Double.isNaN(r.rate()) ? "max" : format(r.rate()), format(r.publishRate()), format(r.throughput()),
                    l == null ? "-" : ms(l.p50()), l == null ? "-" : ms(l.p95()), l == null ? "-" : ms(l.p99()),
                    l == null ? "-" : ms(l.max()), r.lost(), r.duplicates(), r.cores(), r.memoryMb());
        }
        out.println("(CPU: the system under test's processes while measured, broker included; memory: a JVM's heap in "
                + "use after the run, else the peak resident memory)");
        out.println();
        Optional<Row> bare = find(rows, BARE, MAX_PHASE);
        Optional<Row> flow = find(rows, FLOW, MAX_PHASE);
        for (String hub : HUBS) {
            Optional<Row> max = find(rows, hub, MAX_PHASE);
            if (max.isEmpty()) {
                continue;
            }
            double t = max.get().throughput();
            out.printf(Locale.ROOT, "%s: %s messages/s end to end at QoS 1 (target >= 20,000): %s%n", hub, format(t),
                    verdict(t >= 20_000));
            bare.ifPresent(b -> out.printf(Locale.ROOT, "  %s of bare Mosquitto's %s/s at QoS 1 (target >= 50 %%): %s%n",
                    percent(t, b.throughput()), format(b.throughput()), verdict(t >= 0.5 * b.throughput())));
            flow.ifPresent(f -> out.printf(Locale.ROOT, "  %s Node-RED's %s/s (target >= 5 x): %s%n",
                    times(t, f.throughput()), format(f.throughput()), verdict(t >= 5 * f.throughput())));
            for (Row r : rows) {
                if (!r.setup().equals(hub)) {
                    continue;
                }
                if (r.phase().startsWith("qos1-") && !r.phase().equals(MAX_PHASE) && r.latency() != null) {
                    out.printf(Locale.ROOT, "  p99 %s ms at %s/s asked, %s/s delivered (target <= 50 ms at 10,000/s): %s%n",
                            ms(r.latency().p99()), format(r.rate()), format(r.throughput()),
                            verdict(r.latency().p99() <= 50 && r.rate() >= 10_000 && r.throughput() >= 0.95 * r.rate()));
                }
                if (r.qos() == 1) {
                    out.printf(Locale.ROOT, "  %s: %d lost at QoS 1 (target 0): %s%n", r.phase(), r.lost(),
                            verdict(r.lost() == 0));
                }
            }
        }
    }

    static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }

    static String percent(double part, double whole) {
        return whole > 0 ? String.format(Locale.ROOT, "%.0f %%", 100 * part / whole) : "n/a";
    }

    static String times(double part, double whole) {
        return whole > 0 ? String.format(Locale.ROOT, part < whole ? "%.2f x" : "%.1f x", part / whole) : "n/a";
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }
}
