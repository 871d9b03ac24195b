package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code simulate lighting} as picocli sees it: registered, its options, usage errors naming the option. */
class LightingCommandTest {

    @Test
    void isASimulateSubcommandWithTheSharedBrokerOptions() {
        CommandLine simulate = new CommandLine(new SimulateCommand());
        assertThat(simulate.getSubcommands()).containsKey("lighting");
        List<String> options = new CommandLine(new LightingCommand()).getCommandSpec().options().stream()
                .map(OptionSpec::longestName).toList();
        assertThat(options).containsSubsequence("--lamps", "--controllers", "--rate", "--duration", "--host",
                "--port", "--username", "--password-file", "--topic-root", "--scenes", "--ack-delay", "--drop-share",
                "--error-share", "--failure-chance", "--seed");
    }

    @Test
    void optionsOutOfRangeAreUsageErrorsNamingTheOption() {
        assertUsageError("--lamps must be at least 1, not 0", "--lamps", "0");
        assertUsageError("--controllers must be at most --lamps (5) and 99999, not 6", "--lamps", "5",
                "--controllers", "6");
        assertUsageError("--rate must be a positive number, not -1.0", "--rate", "-1");
        assertUsageError("--topic-root must be one topic level", "--topic-root", "a/b");
        assertUsageError("--scenes must be 1-64 comma-separated scene names", "--scenes", "calm,Disco");
        assertUsageError("--ack-delay must be 0 to 600000 ms, not -5", "--ack-delay", "-5");
        assertUsageError("--drop-share must be from 0 to 1, not 1.5", "--drop-share", "1.5");
        assertUsageError("--drop-share and --error-share together must be at most 1, not 1.2", "--drop-share",
                "0.6", "--error-share", "0.6");
    }

    private static void assertUsageError(String message, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new LightingCommand());
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute(args);

        assertThat(exitCode).as("exit code of %s", List.of(args)).isEqualTo(2);
        assertThat(err.toString()).as("error of %s", List.of(args)).startsWith(message);
    }
}
