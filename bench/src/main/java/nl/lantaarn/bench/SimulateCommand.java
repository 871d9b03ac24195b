package nl.lantaarn.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code simulate <kind>}: publishes simulated sensor readings to the hub's MQTT broker. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Publish simulated sensor readings to the hub's MQTT broker.",
        subcommands = {NoiseCommand.class, TtnCommand.class, SoundEventsCommand.class, CrowdCommand.class,
                CitizenReportsCommand.class, LightingCommand.class})
final class SimulateCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
