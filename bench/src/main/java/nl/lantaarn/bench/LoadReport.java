package nl.lantaarn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import org.HdrHistogram.Histogram;

/**
 * The outcome of a {@code load} run, as text for people and as one JSON line for the comparison table.
 *
 * @param setup          what ran: label, mode, QoS, rate and sizes
 * @param published      messages handed to the MQTT client
 * @param acknowledged   of those, acknowledged by the broker (QoS 1) or written (QoS 0)
 * @param failed         publishes that failed
 * @param publishedInWindow messages published within the measured window
 * @param outputs        what arrived
 * @param lost           acknowledged messages whose output had not arrived after the drain
 * @param readerBroke    whether the reading connection broke (outputs after that count as lost)
 * @param publishEndNanos when the last publish was acknowledged, since the start
 * @param processes      CPU and memory of the processes under test
 * @param generatorCores the CPU this program used in the measured window, in cores
 * @param loadBefore     load averages (1, 5, 15 min) before the run
 * @param loadAfter      load averages after the drain
 */
record LoadReport(Setup setup, long published, long acknowledged, long failed, long publishedInWindow,
        LoadOutputs.Counts outputs, long lost, boolean readerBroke, long publishEndNanos, List<Usage> processes, double generatorCores,
        String loadBefore, String loadAfter) {

    /**
     * The run's settings.
     *
     * @param rate messages per second, NaN for {@code --rate max}
     */
    record Setup(String label, String phase, String mode, int qos, double rate, int devices, int connections, int inflight,
            double warmup, double duration, double drain) {

        String rateText() {
            return Double.isNaN(rate) ? "max" : Simulators.number(rate);
        }
    }

    /**
     * A process under test: CPU in the measured window (cores, NaN when unknown), resident memory now and at its
     * peak, heap in use after the run (JVMs); -1 for what is unknown.
     */
    record Usage(long pid, String name, double cores, long rssKb, long hwmKb, long heapKb) {

        static long orUnknown(OptionalLong value) {
            return value.orElse(-1);
        }
    }

    /**
     * Outputs delivered within the measured window, per second: what the set-up sustains. (Counting the outputs of
     * the measured messages instead would credit a set-up that falls behind with outputs delivered long after.)
     */
    double throughput() {
        return deliveryRate();
    }

    /** Unique outputs that arrived within the measured window, per second. */
    double deliveryRate() {
        return outputs.inWindow() / setup.duration();
    }

    double publishRate() {
        return publishedInWindow / setup.duration();
    }

    /**
     * Why the run failed, empty when it did not: losses (QoS 1), duplicates, unmatched outputs, failed publishes, a
     * broken reading connection.
     */
    List<String> failures() {
        List<String> reasons = new ArrayList<>();
        if (lost > 0 && setup.qos() == 1) {
            reasons.add(lost + " lost");
        }
        if (outputs.duplicates() > 0) {
            reasons.add(outputs.duplicates() + " duplicates");
        }
        if (outputs.unmatched() > 0) {
            reasons.add(outputs.unmatched() + " unmatched");
        }
        if (failed > 0) {
            reasons.add(failed + " publishes failed");
        }
        if (readerBroke) {
            reasons.add("the reading connection broke");
        }
        return reasons;
    }

    String text() {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder(1024);
        out.append(String.format(Locale.ROOT, "Load%s: %s, QoS %d, %s msg/s, %d devices over %d connections, %s s "
                + "warm-up + %s s measured%n", setup.label().isEmpty() ? "" : " [" + setup.label() + "]", setup.mode(),
                setup.qos(), setup.rateText(), setup.devices(), setup.connections(),
                Simulators.number(setup.warmup()), Simulators.number(setup.duration())));
        out.append(String.format(Locale.ROOT, "published: %d, %d acknowledged, %d failed; measured window: %d "
                + "published, %.0f/s%n", published, acknowledged, failed, publishedInWindow, publishRate()));
        out.append(String.format(Locale.ROOT, "outputs: %d received, %d unique, %d duplicates, %d unmatched, %d "
                + "lost; %d devices with a sequence gap%n", outputs.received(), outputs.unique(),
                outputs.duplicates(), outputs.unmatched(), lost, outputs.gapDevices()));
        out.append(String.format(Locale.ROOT, "throughput: %.0f outputs/s delivered within the measured window; "
                + "outputs of %d measured messages arrived in all%n", throughput(), outputs.measuredUnique()));
        out.append(String.format(Locale.ROOT, "after the last publish: %d outputs arrived late, the last %s%n",
                outputs.late(), outputs.lastArrivalNanos() < 0 ? "never"
                        : String.format(Locale.ROOT, "%.2f s after it",
                                Math.max(0, outputs.lastArrivalNanos() - publishEndNanos) / 1e9)));
        out.append(line("latency from publish (ms)", outputs.fromPublish())).append(nl);
        out.append(outputs.fromDue() == null ? "latency from due time: none (--rate max has no schedule)"
                : line("latency from due time (ms)", outputs.fromDue())).append(nl);
        for (Usage usage : processes) {
            out.append(String.format(Locale.ROOT, "pid %d (%s): %s cores, RSS %s, peak RSS %s, heap used %s%n",
                    usage.pid(), usage.name(), Double.isNaN(usage.cores()) ? "?"
                            : String.format(Locale.ROOT, "%.2f", usage.cores()), mb(usage.rssKb()),
                    mb(usage.hwmKb()), usage.heapKb() < 0 ? "n/a" : mb(usage.heapKb())));
        }
        out.append(String.format(Locale.ROOT, "load generator: %.2f cores; load average before %s, after %s",
                generatorCores, loadBefore, loadAfter));
        List<String> failures = failures();
        if (!failures.isEmpty()) {
            out.append(nl).append("FAILED: ").append(String.join(", ", failures));
        }
        return out.toString();
    }

    private static String line(String head, Histogram h) {
        if (h.getTotalCount() == 0) {
            return head + ": no outputs measured";
        }
        return String.format(Locale.ROOT, "%s: p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f  (n=%d)",
                head, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getMean() / 1000.0, h.getTotalCount());
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static String mb(long kb) {
        return kb < 0 ? "?" : String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    /** The results as one JSON object on one line (numbers in ms, MB and cores; null for what is unknown). */
    String json() {
        JsonObject json = new JsonObject().add("label", setup.label()).add("phase", setup.phase())
                .add("mode", setup.mode()).add("qos", setup.qos());
        if (Double.isNaN(setup.rate())) {
            json.add("rate", "max");
        } else {
            json.add("rate", number(setup.rate()));
        }
        json.add("devices", setup.devices()).add("connections", setup.connections())
                .add("inflight", setup.inflight()).add("warmupS", number(setup.warmup()))
                .add("durationS", number(setup.duration())).add("drainS", number(setup.drain()))
                .add("published", published).add("acknowledged", acknowledged).add("failed", failed)
                .add("publishRate", number(publishRate(), 1))
                .add("received", outputs.received()).add("unique", outputs.unique())
                .add("duplicates", outputs.duplicates()).add("unmatched", outputs.unmatched())
                .add("lost", lost).add("readerBroke", readerBroke)
                .add("gapDevices", outputs.gapDevices())
                .add("measured", outputs.measuredUnique()).add("throughput", number(throughput(), 1))
                .add("deliveryRate", number(deliveryRate(), 1)).add("late", outputs.late())
                .add("latencyMs", latency(outputs.fromPublish()))
                .add("latencyFromDueMs", latency(outputs.fromDue()));
        JsonArray processesJson = new JsonArray();
        for (Usage usage : processes) {
            processesJson.add(new JsonObject().add("pid", usage.pid()).add("name", usage.name())
                    .add("cores", number(usage.cores(), 3)).add("rssMb", megabytes(usage.rssKb()))
                    .add("peakRssMb", megabytes(usage.hwmKb())).add("heapUsedMb", megabytes(usage.heapKb())));
        }
        return json.add("processes", processesJson).add("generatorCores", number(generatorCores, 3))
                .add("loadBefore", loadBefore).add("loadAfter", loadAfter)
                .add("ok", failures().isEmpty()).toString();
    }

    private static JsonValue latency(Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return Json.NULL;
        }
        return new JsonObject().add("p50", number(ms(h.getValueAtPercentile(50))))
                .add("p95", number(ms(h.getValueAtPercentile(95)))).add("p99", number(ms(h.getValueAtPercentile(99))))
                .add("p999", number(ms(h.getValueAtPercentile(99.9)))).add("max", number(ms(h.getMaxValue())))
                .add("mean", number(h.getMean() / 1000.0, 3));
    }

    private static JsonValue megabytes(long kb) {
        return kb < 0 ? Json.NULL : number(kb / 1024.0, 1);
    }

    /** {@link #number(double)} of the value rounded to the given decimals. */
    private static JsonValue number(double value, int decimals) {
        return Double.isFinite(value) ? number(SoundEvents.round(value, decimals)) : Json.NULL;
    }

    /**
     * A number as the readers expect it: whole values without a fraction or exponent (compare-table reads counts as
     * longs; minimal-json would write 1.0E7), others as Java writes them, null when not finite (unknown).
     */
    private static JsonValue number(double value) {
        if (!Double.isFinite(value)) {
            return Json.NULL;
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Json.value((long) value);
        }
        return Json.value(value);
    }
}
