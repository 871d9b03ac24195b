package nl.lantaarn.tools;

import java.io.PrintWriter;
import java.nio.file.Path;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the operators' tools; {@code ./lantaarn clients ...} runs {@code clients} of this program. The tools
 * work on the files of a hub's home, so they work whether or not the hub runs.
 * <p>
 * Exit codes: 0 done, 1 refused because of what the home holds (a name taken, a client that is not there, a file that
 * cannot be written), 2 invalid input (the message names the option and what it accepts).
 */
@Command(name = "lantaarn", mixinStandardHelpOptions = true, version = "Lantaarn tools 0.1.0",
        description = "Operator tools for a Lantaarn hub's home.",
        subcommands = {ClientsCommand.class, AuditCommand.class, DpiaCommand.class})
public final class ToolsMain implements Runnable {

    static final int REFUSED = 1;
    static final int INVALID_INPUT = 2;

    private final Path home;

    @Spec
    private CommandSpec spec;

    public ToolsMain(Path home) {
        this.home = home;
    }

    Path home() {
        return home;
    }

    public static void main(String[] args) {
        System.exit(commandLine(homeFromEnvironment()).execute(args));
    }

    /** The tools on {@code home}, with the error handling every run gets (in-process tests use this too). */
    static CommandLine commandLine(Path home) {
        CommandLine commandLine = new CommandLine(new ToolsMain(home));
        commandLine.setExitCodeExceptionMapper(
                error -> error instanceof ToolException refused ? refused.exitCode() : REFUSED);
        commandLine.setExecutionExceptionHandler((error, failed, parsed) -> {
            PrintWriter err = failed.getErr();
            if (error instanceof ToolException) {
                err.println("lantaarn: " + error.getMessage());
            } else {
                err.println("lantaarn: " + error);
            }
            err.flush();
            return failed.getExitCodeExceptionMapper().getExitCode(error);
        });
        // one line naming what to fix, and where the help is, instead of the whole usage text
        commandLine.setParameterExceptionHandler((error, args) -> {
            PrintWriter err = error.getCommandLine().getErr();
            err.println("lantaarn: " + error.getMessage());
            err.println("Run ./lantaarn " + error.getCommandLine().getCommandSpec().qualifiedName(" ")
                    .replaceFirst("^lantaarn ?", "") + " --help for the options.");
            err.flush();
            return INVALID_INPUT;
        });
        return commandLine;
    }

    /** System property {@code lantaarn.home} (set by ./lantaarn), then {@code LANTAARN_HOME}, then here. */
    static Path homeFromEnvironment() {
        String home = System.getProperty("lantaarn.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("LANTAARN_HOME");
        }
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
