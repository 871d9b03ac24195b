package nl.lantaarn.bench;

import static nl.lantaarn.bench.Simulators.asGiven;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulate lighting}: street-light controllers for the lighting adapter. Their lamps report their state in
 * turn at a fixed total rate; the controllers take the hub's commands, apply them, answer each with an
 * acknowledgement (optionally late, missing or an error, to exercise the hub's retries and failures) and report the
 * new state of the lamps they changed.
 */
@Command(name = "lighting", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate street-light controllers for the lighting adapter. Lamps report their state in turn, "
                + "R per second from all lamps together, as JSON like",
            "{\"dimLevel\":70,\"scene\":\"normal\",\"power\":\"on\",\"failure\":null,"
                + "\"reportedAt\":\"2026-11-24T21:15:00Z\"} on topic lighting/ctl_01/lamp/l-00001/state, QoS 1.",
            "Commands on lighting/<controller>/lamp/<lamp>/set and lighting/<controller>/group/<group>/set (a group is "
                + "every lamp of its controller) are applied and acknowledged on lighting/<controller>/ack.",
            "By default it publishes to the broker of the hub running from the same home folder (LANTAARN_HOME), "
                + "as user 'devices'."})
final class LightingCommand implements Callable<Integer>, PacedPublisher.Simulation {

    private static final Pattern TOPIC_LEVEL = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long MAX_ACK_DELAY_MILLIS = 600_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--lamps", paramLabel = "N", defaultValue = "10000",
            description = "Number of lamps (default: ${DEFAULT-VALUE}).")
    private int lamps;

    @Option(names = "--controllers", paramLabel = "C", defaultValue = "20",
            description = "Number of controllers the lamps are spread over (default: ${DEFAULT-VALUE}).")
    private int controllers;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "100",
            description = "Lamp states per second from all lamps together (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: run until Ctrl-C).")
    private Double duration;

    @Mixin
    private MqttTargetOptions broker;

    @Option(names = "--topic-root", paramLabel = "ROOT", defaultValue = "lighting",
            description = "First topic level, as topicRoot of the adapter (default: ${DEFAULT-VALUE}).")
    private String topicRoot;

    @Option(names = "--scenes", paramLabel = "LIST", split = ",",
            description = "Scenes the controllers know, as scenes of the adapter (default: normal,calm,bright,"
                    + "evacuation,night).")
    private List<String> scenes;

    @Option(names = "--ack-delay", paramLabel = "MS", defaultValue = "0",
            description = "Milliseconds each acknowledgement is held back (default: ${DEFAULT-VALUE}); longer than "
                    + "the hub's commandTimeoutSeconds makes it send commands again.")
    private long ackDelayMillis;

    @Option(names = "--drop-share", paramLabel = "F", defaultValue = "0",
            description = "Share of commands never acknowledged, 0..1 (default: ${DEFAULT-VALUE}).")
    private double dropShare;

    @Option(names = "--error-share", paramLabel = "F", defaultValue = "0",
            description = "Share of commands answered with an error, 0..1 (default: ${DEFAULT-VALUE}).")
    private double errorShare;

    @Option(names = "--failure-chance", paramLabel = "F", defaultValue = "0.001",
            description = "Chance per state report that its lamp fails or recovers, 0..1 (default: ${DEFAULT-VALUE}).")
    private double failureChance;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random parts, to repeat a run.")
    private Long seed;

    private LampFleet fleet;
    private SplittableRandom random;
    private Mqtt3AsyncClient client;
    private ScheduledExecutorService delayed;
    private final LongAdder commands = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder answeredError = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder answerFailures = new LongAdder();

    @Override
    public Integer call() {
        validate();
        fleet = new LampFleet(topicRoot, lamps, controllers, scenes == null ? LampFleet.DEFAULT_SCENES : scenes);
        random = Simulators.random(seed);
        return PacedPublisher.simulate("lighting", broker, duration, this);
    }

    private void validate() {
        Simulators.requireCountRateDuration(spec, "--lamps", lamps, rate, duration);
        Simulators.requireAtLeastOne(spec, "--controllers", controllers);
        if (controllers > lamps || controllers > 99_999) {
            throw new ParameterException(spec.commandLine(), "--controllers must be at most --lamps (" + lamps
                    + ") and 99999, not " + controllers);
        }
        if (!TOPIC_LEVEL.matcher(topicRoot).matches()) {
            throw new ParameterException(spec.commandLine(), "--topic-root must be one topic level of letters, "
                    + "digits, '-' or '_', not '" + topicRoot + "'");
        }
        if (scenes != null && (scenes.isEmpty() || scenes.size() > 64
                || !scenes.stream().allMatch(s -> s.matches("[a-z0-9][a-z0-9-]{0,31}")))) {
            throw new ParameterException(spec.commandLine(), "--scenes must be 1-64 comma-separated scene names of "
                    + "lower-case letters, digits and dashes, not " + scenes);
        }
        if (ackDelayMillis < 0 || ackDelayMillis > MAX_ACK_DELAY_MILLIS) {
            throw new ParameterException(spec.commandLine(), "--ack-delay must be 0 to " + MAX_ACK_DELAY_MILLIS
                    + " ms, not " + ackDelayMillis);
        }
        share("--drop-share", dropShare);
        share("--error-share", errorShare);
        share("--failure-chance", failureChance);
        if (dropShare + errorShare > 1) {
            throw new ParameterException(spec.commandLine(), "--drop-share and --error-share together must be at "
                    + "most 1, not " + asGiven(dropShare + errorShare));
        }
    }

    private void share(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new ParameterException(spec.commandLine(), option + " must be from 0 to 1, not " + value);
        }
    }

    @Override
    public void connected(Mqtt3AsyncClient connected) throws ToolException {
        this.client = connected;
        this.delayed = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "simulate-lighting-acks");
            thread.setDaemon(true);
            return thread;
        });
        for (String kind : List.of("lamp", "group")) {
            String filter = topicRoot + "/+/" + kind + "/+/set";
            try {
                connected.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).callback(this::onCommand)
                        .send().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new ToolException("cannot subscribe to " + filter + " for the hub's commands: " + e);
            }
        }
    }

    private void onCommand(Mqtt3Publish publish) {
        String payload = new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
        LampFleet.Reply reply;
        synchronized (fleet) {
            reply = fleet.onCommand(publish.getTopic().toString(), payload, Instant.now().truncatedTo(ChronoUnit.MILLIS), random, dropShare,
                    errorShare);
        }
        switch (reply.outcome()) {
            case "ok" -> acknowledged.increment();
            case "error" -> answeredError.increment();
            case "dropped" -> dropped.increment();
            default -> {
                ignored.increment();
                return;
            }
        }
        commands.increment();
        if (reply.ack() == null) {
            return;
        }
        Runnable answer = () -> {
            send(reply.ack());
            reply.states().forEach(this::send);
        };
        if (ackDelayMillis == 0) {
            answer.run();
        } else {
            try {
                delayed.schedule(answer, ackDelayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                answerFailures.increment();
            }
        }
    }

    private void send(LampFleet.Outgoing message) {
        client.publishWith().topic(message.topic()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(message.payload().getBytes(StandardCharsets.UTF_8)).send()
                .whenComplete((ack, error) -> {
                    if (error != null) {
                        answerFailures.increment();
                    }
                });
    }

    @Override
    public String firstLine(BrokerTarget target) {
        return String.format(Locale.ROOT, "Simulating %d lamps on %d controllers: %s states/s to %s, topics "
                + "%s/%s/lamp/%s/state..; answering commands on %s/+/lamp/+/set and %s/+/group/+/set (acks delayed "
                + "%d ms, %s dropped, %s errors); %s", lamps, controllers, asGiven(rate), target.describe(), topicRoot,
                fleet.controllerOf(0), LampFleet.lampId(0), topicRoot, topicRoot, ackDelayMillis, asGiven(dropShare),
                asGiven(errorShare), Simulators.runTime(duration, Simulators::asGiven));
    }

    @Override
    public PacedPublisher.Pacer pacer() {
        return PacedPublisher.Pacer.atRate(rate, k -> {
            LampFleet.Outgoing state;
            synchronized (fleet) {
                state = fleet.nextState(k, Instant.now().truncatedTo(ChronoUnit.MILLIS), random, failureChance);
            }
            return new PacedPublisher.Outgoing(state.topic(), state.payload().getBytes(StandardCharsets.UTF_8),
                    null);
        });
    }

    @Override
    public String summary(PacedPublisher.Result result) {
        delayed.shutdownNow();
        String head = String.format(Locale.ROOT, "Sent %d lamp states from %d lamps in %.1f s (%.2f/s); commands "
                + "%d: acknowledged %d, answered error %d, not answered %d; %d not for these lamps; %d answers or "
                + "states after a command not delivered", result.sent(), lamps, result.seconds(), result.rate(),
                commands.sum(), acknowledged.sum(), answeredError.sum(), dropped.sum(), ignored.sum(),
                answerFailures.sum());
        return result.summary(head, "states");
    }
}
