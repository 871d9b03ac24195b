package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The simulate subcommands as picocli sees them: options, usage errors, the broker options of the mixin. */
class SimulatorCommandsTest {

    private static final List<String> BROKER = List.of("--host", "--port", "--username", "--password-file");

    @TempDir
    Path home;

    @Test
    void mqttSimulatorsListTheBrokerOptionsAfterTheirOwnAsBefore() {
        assertThat(optionNames(new NoiseCommand()))
                .containsExactlyElementsOf(concat(List.of("--sensors", "--rate", "--duration"), BROKER, "--seed"));
        assertThat(optionNames(new SoundEventsCommand()))
                .containsExactlyElementsOf(concat(List.of("--sensors", "--rate", "--duration"), BROKER, "--seed"));
        assertThat(optionNames(new TtnCommand())).containsExactlyElementsOf(
                concat(List.of("--devices", "--rate", "--duration"), BROKER, "--tenant", "--seed"));
        assertThat(optionNames(new CrowdCommand())).containsExactlyElementsOf(concat(
                List.of("--sensors", "--rate", "--duration", "--speed", "--start-hour", "--format"), BROKER, "--seed"));
    }

    @Test
    void brokerOptionsFromTheCommandLineWin() throws Exception {
        CommandLine noise = new CommandLine(new NoiseCommand());
        noise.parseArgs("--host", "broker.local", "--port", "2883", "--username", "sensor", "--password-file", "pw");
        MqttTargetOptions options = (MqttTargetOptions) noise.getCommandSpec().mixins().get("broker").userObject();

        BrokerTarget target = options.resolve(Map.of("LANTAARN_HOME", home.toString(), "LANTAARN_MQTT_PORT", "1999"));

        assertThat(target).extracting(BrokerTarget::host, BrokerTarget::port, BrokerTarget::portSource,
                BrokerTarget::username).containsExactly("broker.local", 2883, "--port", "sensor");
        assertThat(target.passwordFile().getFileName()).isEqualTo(Path.of("pw"));
        assertThat(target.describe()).isEqualTo("broker.local:2883 (port from --port) as 'sensor'");
    }

    @Test
    void optionsOutOfRangeAreUsageErrorsNamingTheOption() {
        assertUsageError(new NoiseCommand(), "--sensors must be at least 1, not 0", "--sensors", "0");
        assertUsageError(new SoundEventsCommand(), "--rate must be a positive number, not 0.0", "--rate", "0");
        assertUsageError(new TtnCommand(), "--duration must be a positive number, not -1.0", "--duration", "-1");
        assertUsageError(new TtnCommand(), "--tenant must be a tenant id", "--tenant", "BAD");
        assertUsageError(new CrowdCommand(), "--speed must be a positive number, not Infinity", "--speed",
                "Infinity");
        assertUsageError(new CitizenReportsCommand(), "--reports must be at least 1, not 0", "--reports", "0");
    }

    @Test
    void exitsWithOneAndSaysWhatToSetWhenNothingListensOnThePort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path passwordFile = Files.writeString(home.resolve("password"), "s3cret\n");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        int exitCode;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exitCode = new CommandLine(new NoiseCommand()).execute("--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--password-file", passwordFile.toString(), "--duration", "1");
        } finally {
            System.setErr(originalErr);
        }

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("simulate noise: cannot connect to 127.0.0.1:"
                + port + ": nothing is listening there (port from --port); start the hub with ./lantaarn, or set "
                + "--host and --port (or LANTAARN_MQTT_PORT)" + System.lineSeparator());
    }

    @Test
    void connectFailureNamesWhereThePortCameFrom() throws Exception {
        BrokerTarget target = BrokerTarget.resolve(home, null, null, null, null, Map.of("LANTAARN_MQTT_PORT", "2883"));

        String message = PacedPublisher.connectFailure(new IOException("wrapped", new ConnectException()), target);

        assertThat(message).contains("localhost:2883").contains("nothing is listening")
                .contains("(port from LANTAARN_MQTT_PORT)");
    }

    private static List<String> optionNames(Callable<Integer> command) {
        return new CommandLine(command).getCommandSpec().options().stream().map(OptionSpec::longestName)
                .filter(name -> !name.equals("--help") && !name.equals("--version")).toList();
    }

    private static List<String> concat(List<String> first, List<String> second, String... last) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(List.of(last));
        return all;
    }

    private static void assertUsageError(Callable<Integer> command, String message, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute(args);

        assertThat(exitCode).as("exit code of %s", List.of(args)).isEqualTo(2);
        assertThat(err.toString()).as("error of %s", List.of(args)).startsWith(message);
    }
}
