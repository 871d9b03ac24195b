package nl.lantaarn.bench;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;

/**
 * The publishing path of the MQTT simulators ({@code simulate noise}, {@code ttn}, {@code sound-events},
 * {@code crowd}): finds the broker from their {@link MqttTargetOptions}, connects, prints the {@link Simulation}'s
 * first line, publishes its messages, QoS 1, at the times its {@link Pacer} gives (see {@link PacedLoop}), then
 * disconnects and prints its summary. A simulator supplies only its lines and its messages.
 */
final class PacedPublisher {

    /** Most messages waiting for the broker's acknowledgement at once; beyond that the simulator slows down. */
    static final int MAX_IN_FLIGHT = 512;
    static final long DRAIN_TIMEOUT_SECONDS = 10;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;

    /** What one simulator adds to the shared path. */
    interface Simulation {

        /** The line printed once connected: what is simulated, where to ({@link BrokerTarget#describe()}), how long. */
        String firstLine(BrokerTarget target);

        /** What to send and when; asked once, just before the first message. */
        Pacer pacer();

        /** The line printed at the end; {@link Result#summary} adds the failures. */
        String summary(Result result);

        /**
         * Called once connected, before the first line and message: a simulator that also receives (commands to
         * its devices) subscribes here and answers through {@code client}. What it publishes itself is not counted
         * in the {@link Result}. The client disconnects after the last message.
         *
         * @throws ToolException when it cannot subscribe
         */
        default void connected(Mqtt3AsyncClient client) throws ToolException {
        }
    }

    /** What to send and when; called from one thread, in order, so it may keep state. */
    interface Pacer extends PacedLoop.Schedule {

        /** Message {@code k}, built when it is due. */
        Outgoing message(long k);

        /** Messages at a fixed total rate, until the duration ends or Ctrl-C. */
        static Pacer atRate(double perSecond, LongFunction<Outgoing> messages) {
            PacedLoop.Schedule schedule = PacedLoop.Schedule.atRate(perSecond, Long.MAX_VALUE);
            return new Pacer() {
                @Override
                public long dueNanos(long k) {
                    return schedule.dueNanos(k);
                }

                @Override
                public Outgoing message(long k) {
                    return messages.apply(k);
                }
            };
        }
    }

    /**
     * One message.
     *
     * @param topic   MQTT topic
     * @param payload the bytes
     * @param tag     counted in the summary, e.g. the event type; null for none
     */
    record Outgoing(String topic, byte[] payload, String tag) {
    }

    /**
     * The outcome of a run.
     *
     * @param sent         acknowledged messages
     * @param failed       messages the broker did not acknowledge
     * @param seconds      how long the run took
     * @param drained      whether every acknowledgement came in time
     * @param firstFailure the first failure, or null
     * @param tags         acknowledged messages per tag, sorted by tag
     */
    record Result(long sent, long failed, double seconds, boolean drained, Throwable firstFailure,
            Map<String, Long> tags) {

        /** Acknowledged messages per second. */
        double rate() {
            return seconds > 0 ? sent / seconds : 0;
        }

        /** Acknowledged messages with this tag. */
        long tagged(String tag) {
            return tags.getOrDefault(tag, 0L);
        }

        /**
         * {@code head}, then "; N failed" with the first failure and, when acknowledgements were missing at the end,
         * that; {@code noun} names the messages, e.g. "readings".
         */
        String summary(String head, String noun) {
            StringBuilder line = new StringBuilder(head.length() + 64).append(head)
                    .append("; ").append(failed).append(" failed");
            if (firstFailure != null) {
                line.append(" (first: ").append(firstFailure).append(')');
            }
            if (!drained) {
                line.append("; some ").append(noun).append(" were still unacknowledged after ")
                        .append(DRAIN_TIMEOUT_SECONDS).append(" s");
            }
            return line.toString();
        }
    }

    private final Mqtt3AsyncClient client;
    private final String name;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, LongAdder> tags = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    private PacedPublisher(Mqtt3AsyncClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /**
     * Runs a simulator: connects, prints its first line, publishes until its pacer has no more messages, the duration
     * ends or Ctrl-C, prints its summary.
     *
     * @param name            the simulator's name, e.g. {@code sound-events}, for the client id and messages
     * @param durationSeconds how long to publish; null: until Ctrl-C
     * @return the exit code: 0 when every message was acknowledged, else 1 (with one line on stderr when the cause was
     *         the connection or the options)
     */
    static int simulate(String name, MqttTargetOptions options, Double durationSeconds, Simulation simulation) {
        try {
            BrokerTarget target = options.resolve(System.getenv());
            Mqtt3AsyncClient client = connect(target, name);
            try {
                simulation.connected(client);
            } catch (ToolException e) {
                client.disconnect();
                throw e;
            }
            PacedPublisher publisher = new PacedPublisher(client, name);
            System.out.println(simulation.firstLine(target));
            return publisher.run(durationSeconds, simulation).failed() == 0 ? 0 : 1;
        } catch (ToolException e) {
            System.err.println("simulate " + name + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Connects to the broker as the target's user.
     *
     * @throws ToolException saying why the connection failed and what to set
     */
    private static Mqtt3AsyncClient connect(BrokerTarget target, String name) throws ToolException {
        return connect(target, "lantaarn-simulate-" + name + "-" + ProcessHandle.current().pid(), true);
    }

    /**
     * Connects to the broker with a clean session, as the target's user or, without {@code withCredentials},
     * anonymously.
     *
     * @param identifier the MQTT client id
     * @throws ToolException saying why the connection failed and what to set
     */
    static Mqtt3AsyncClient connect(BrokerTarget target, String identifier, boolean withCredentials)
            throws ToolException {
        Mqtt3ClientBuilder builder = MqttClient.builder()
                .useMqttVersion3()
                .identifier(identifier)
                .serverHost(target.host())
                .serverPort(target.port());
        if (withCredentials) {
            char[] password = target.readPassword();
            byte[] passwordBytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).array();
            Arrays.fill(password, '\0');
            // the client keeps the array it is given (no copy): only the encoder's buffer is cleared
            builder = builder.simpleAuth().username(target.username()).password(trim(passwordBytes))
                    .applySimpleAuth();
            Arrays.fill(passwordBytes, (byte) 0);
        }
        Mqtt3AsyncClient client = builder.buildAsync();
        try {
            client.connectWith().cleanSession(true).keepAlive(30).send()
                    .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return client;
        } catch (ExecutionException e) {
            throw new ToolException(connectFailure(e.getCause(), target));
        } catch (TimeoutException e) {
            client.disconnect();
            throw new ToolException("no answer from an MQTT broker at " + target + " within " + CONNECT_TIMEOUT_SECONDS
                    + " s; check --host and --port (or LANTAARN_MQTT_PORT)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while connecting to " + target);
        }
    }

    /** One line saying why the connection failed and what to set. */
    static String connectFailure(Throwable cause, BrokerTarget target) {
        if (cause instanceof Mqtt3ConnAckException connAck) {
            Mqtt3ConnAckReturnCode code = connAck.getMqttMessage().getReturnCode();
            if (code == Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD
                    || code == Mqtt3ConnAckReturnCode.NOT_AUTHORIZED) {
                return "the broker at " + target + " refused user '" + target.username() + "' (" + describe(code)
                        + "); set --username and --password-file (default: the 'devices' user and the password the "
                        + "hub's embedded broker wrote to data/secrets/mqtt-devices.password); is " + target
                        + " the hub's broker? (port from " + target.portSource() + ")";
            }
            return "the broker at " + target + " refused the connection (" + describe(code) + ")";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "cannot connect to " + target + ": nothing is listening there (port from " + target.portSource()
                    + "); start the hub with ./lantaarn, or set --host and --port (or LANTAARN_MQTT_PORT)";
        }
        if (root instanceof UnknownHostException) {
            return "cannot connect to " + target + ": unknown host '" + target.host() + "'; set --host";
        }
        if (cause instanceof ConnectionClosedException || cause instanceof ConnectionFailedException) {
            return "cannot connect to " + target + " (" + root + "); is it an MQTT broker? Set --host and --port";
        }
        return "cannot connect to " + target + ": " + root;
    }

    private static String describe(Mqtt3ConnAckReturnCode code) {
        return code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static byte[] trim(byte[] encoded) {
        int length = encoded.length;
        while (length > 0 && encoded[length - 1] == 0) {
            length--;
        }
        return Arrays.copyOf(encoded, length);
    }

    /** Publishes, disconnects and prints the summary while Ctrl-C still waits for it. */
    private Result run(Double durationSeconds, Simulation simulation) {
        Pacer pacer = simulation.pacer();
        try (PacedLoop loop = PacedLoop.start(MAX_IN_FLIGHT, DRAIN_TIMEOUT_SECONDS)) {
            PacedLoop.Timing timing = loop.run(pacer, durationSeconds,
                    (k, acknowledged) -> publish(pacer.message(k), acknowledged));
            client.disconnect();
            Map<String, Long> counted = new TreeMap<>();
            tags.forEach((tag, count) -> counted.put(tag, count.sum()));
            Result result = new Result(sent.get(), failed.get(), timing.seconds(), timing.drained(),
                    firstFailure.get(), counted);
            System.out.println(simulation.summary(result));
            return result;
        }
    }

    /** Publishes one message; false when the connection is gone. */
    private boolean publish(Outgoing message, Runnable acknowledged) {
        client.publishWith().topic(message.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(message.payload()).send()
                .whenComplete((ack, error) -> {
                    if (error == null) {
                        sent.incrementAndGet();
                        if (message.tag() != null) {
                            tags.computeIfAbsent(message.tag(), t -> new LongAdder()).increment();
                        }
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, error);
                    }
                    acknowledged.run();
                });
        if (firstFailure.get() != null && !client.getState().isConnected()) {
            System.err.println("simulate " + name + ": lost the connection to the broker (" + firstFailure.get()
                    + "); stopping");
            return false;
        }
        return true;
    }
}
