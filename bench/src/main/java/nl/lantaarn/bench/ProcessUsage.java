package nl.lantaarn.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * CPU time, resident memory and (for a JVM) heap in use of a process, from Linux's {@code /proc} and the JDK's
 * {@code jstat}: what {@code load} reports of the system under test. Everything missing (another operating system,
 * a process gone, no JVM) gives an empty value, never an error: the figures are an extra to the run.
 */
final class ProcessUsage {

    private static final Path PROC = Path.of("/proc");
    private static final long JSTAT_TIMEOUT_SECONDS = 15;
    private static volatile long ticksPerSecond;

    private ProcessUsage() {
        throw new AssertionError("no instances");
    }

    /** Whether {@code /proc/<pid>} exists: a running process on this machine. */
    static boolean exists(long pid) {
        return Files.isDirectory(PROC.resolve(Long.toString(pid)));
    }

    /** The process's name ({@code /proc/<pid>/comm}), or "?" */
    static String name(long pid) {
        try {
            return Files.readString(PROC.resolve(pid + "/comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** User plus system CPU time of the process so far, nanoseconds ({@code /proc/<pid>/stat} utime + stime). */
    static OptionalLong cpuNanos(long pid) {
        try {
            return OptionalLong.of(cpuTicks(Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8))
                    * (1_000_000_000L / ticksPerSecond()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** utime + stime of a {@code /proc/<pid>/stat} line; the name in parentheses may hold spaces. */
    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // after "pid (comm)": state is field 3, utime field 14 and stime field 15 (1-based, man proc)
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** This process's CPU time so far, nanoseconds. */
    static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return cpuNanos(ProcessHandle.current().pid()).orElse(0);
    }

    /** A line of {@code /proc/<pid>/status} in kB, e.g. {@code VmRSS} or {@code VmHWM}. */
    static OptionalLong statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field + ":")) {
                    String value = line.substring(field.length() + 1).trim();
                    return OptionalLong.of(Long.parseLong(value.split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return OptionalLong.empty();
    }

    /** The load averages (1, 5, 15 minutes) as {@code /proc/loadavg} has them, or the JDK's 1-minute one. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(PROC.resolve("loadavg"), StandardCharsets.US_ASCII).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.2f", one);
        }
    }

    /**
     * The heap a JVM uses now, kB, from {@code jstat -gc} (survivor, eden and old space used): it reads the JVM's
     * performance counters, so it works with any collector and without attaching. Empty when the process is no JVM
     * (or runs as another user, or without performance counters).
     */
    static OptionalLong heapUsedKb(long pid) {
        if (!"java".equals(name(pid))) {
            return OptionalLong.empty();
        }
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        List<String> command = List.of(Files.isExecutable(jstat) ? jstat.toString() : "jstat", "-gc",
                Long.toString(pid));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(JSTAT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return OptionalLong.empty();
            }
            return process.exitValue() == 0 ? heapUsedKb(new String(out, StandardCharsets.UTF_8))
                    : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** The heap used, kB, from {@code jstat -gc}'s output: a header line and a values line. */
    static OptionalLong heapUsedKb(String jstatGc) {
        String[] lines = jstatGc.strip().split("\\R");
        if (lines.length < 2) {
            return OptionalLong.empty();
        }
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        if (names.length != values.length) {
            return OptionalLong.empty();
        }
        double used = 0;
        int found = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                try {
                    used += Double.parseDouble(values[i]);
                    found++;
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return found == 4 ? OptionalLong.of(Math.round(used)) : OptionalLong.empty();
    }

    /** USER_HZ, the unit of {@code /proc/<pid>/stat}'s times: {@code getconf CLK_TCK}, else Linux's usual 100. */
    private static long ticksPerSecond() {
        long known = ticksPerSecond;
        if (known > 0) {
            return known;
        }
        long ticks = 100;
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0) {
                ticks = Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // keep 100
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticksPerSecond = ticks > 0 ? ticks : 100;
        return ticksPerSecond;
    }
}
