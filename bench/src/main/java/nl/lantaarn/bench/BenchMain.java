package nl.lantaarn.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the bench tools; {@code ./lantaarn simulate ...} runs {@code simulate} of this program,
 * {@code bench/route-latency.sh} its {@code route-latency}, {@code bench/api-read.sh} its {@code api-read}, the compare benchmark its {@code load}.
 */
@Command(name = "lantaarn-bench", mixinStandardHelpOptions = true, version = "Lantaarn bench 0.1.0",
        description = "Simulators and load tools for the Lantaarn hub.",
        subcommands = {SimulateCommand.class, RouteLatencyCommand.class, ApiReadCommand.class, LoadCommand.class,
                CompareTableCommand.class})
public final class BenchMain implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
