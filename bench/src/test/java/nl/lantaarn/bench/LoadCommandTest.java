package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;

import picocli.CommandLine;

/**
 * Short runs of {@code load} against an embedded broker (anonymous, as the benchmark's Mosquitto): the inputs read
 * back (passthrough), and the alerts of a tiny relay standing in for a processing set-up. It checks that every
 * message is matched and counted, and that a missing alert counts as lost; never how fast anything is.
 */
class LoadCommandTest {

    @TempDir
    Path folder;

    private EmbeddedBroker broker;
    private int port;
    private Mqtt3AsyncClient relay;
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void passthroughMatchesEveryInputAndWritesTheResultLine() throws Exception {
        startBroker();
        Path results = folder.resolve("results.jsonl");
        long ownPid = ProcessHandle.current().pid();

        Run run = load("--mode", "passthrough", "--label", "bare \"broker\"", "--result-file", results.toString(),
                "--pids", Long.toString(ownPid));

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out())
                .contains("Load [bare \"broker\"]: passthrough, QoS 1, 300 msg/s, 50 devices over 2 connections")
                .contains("published: 900, 900 acknowledged, 0 failed; measured window: ")
                .contains("outputs: 900 received, 900 unique, 0 duplicates, 0 unmatched, 0 lost; 0 devices with a "
                        + "sequence gap")
                .containsPattern("throughput: \\d+ outputs/s delivered within the measured window; outputs of 600 measured "
                        + "messages arrived in all")
                .contains("latency from publish (ms): p50 ")
                .contains("latency from due time (ms): p50 ")
                .contains("pid " + ownPid + " (java): ")
                .doesNotContain("FAILED");
        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(1);
        JsonObject result = Json.parse(lines.get(0)).asObject();
        assertThat(result.getString("label", null)).isEqualTo("bare \"broker\"");
        assertThat(result.getString("mode", null)).isEqualTo("passthrough");
        assertThat(result.getLong("published", -1)).isEqualTo(900);
        assertThat(result.getLong("unique", -1)).isEqualTo(900);
        assertThat(result.getLong("lost", -1)).isZero();
        assertThat(result.getLong("measured", -1)).isEqualTo(600);
        assertThat(result.getBoolean("ok", false)).isTrue();
        assertThat(result.get("latencyMs").asObject().names()).containsExactly("p50", "p95", "p99", "p999", "max",
                "mean");
        JsonObject process = result.get("processes").asArray().get(0).asObject();
        assertThat(process.getLong("pid", 0)).isEqualTo(ownPid);
        assertThat(process.get("cores").isNumber()).isTrue();
        assertThat(process.get("rssMb").isNumber()).isTrue();
        assertThat(process.get("heapUsedMb").isNumber()).isTrue();
    }

    @Test
    void processedMatchesEveryAlertOfTheRelay() throws Exception {
        startBroker();
        startRelay(0);

        Run run = load("--mode", "processed", "--connections", "3");

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(relayed.get()).isEqualTo(900);
        assertThat(run.out())
                .contains("processed, QoS 1, 300 msg/s, 50 devices over 3 connections")
                .contains("published: 900, 900 acknowledged, 0 failed")
                .contains("outputs: 900 received, 900 unique, 0 duplicates, 0 unmatched, 0 lost");
    }

    @Test
    void anAlertThatNeverComesIsLost() throws Exception {
        startBroker();
        startRelay(7);
        Path results = folder.resolve("results.jsonl");

        Run run = load("--mode", "processed", "--drain", "2", "--result-file", results.toString());

        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        long lost = skipped.get();
        assertThat(lost).isEqualTo(900 / 7 + 1);
        assertThat(run.out())
                .contains("outputs: " + (900 - lost) + " received, " + (900 - lost) + " unique, 0 duplicates, "
                        + "0 unmatched, " + lost + " lost")
                .contains("FAILED: " + lost + " lost");
        JsonObject result = Json.parse(Files.readAllLines(results).get(0)).asObject();
        assertThat(result.getLong("lost", -1)).isEqualTo(lost);
        assertThat(result.getLong("gapDevices", -1)).isPositive();
        assertThat(result.getBoolean("ok", true)).isFalse();
    }

    @Test
    void alertsOfAnotherRunAreUnmatched() throws Exception {
        startBroker();
        startRelay(0);
        Mqtt3AsyncClient stranger = client("stranger");
        // an alert whose T lies before this run's base: not a message of this run
        stranger.publishWith().topic("bench/alerts/ttn").qos(MqttQos.AT_LEAST_ONCE)
                .payload(("{\"thingId\":\"x:bench-000001\",\"at\":\"2001-01-01T00:00:00Z\"}")
                        .getBytes(StandardCharsets.UTF_8)).retain(true).send().get(10, TimeUnit.SECONDS);
        stranger.disconnect();

        Run run = load("--mode", "processed");

        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("outputs: 901 received, 900 unique, 0 duplicates, 1 unmatched, 0 lost")
                .contains("FAILED: 1 unmatched");
    }

    @Test
    void maxNeedsQos1() throws Exception {
        startBroker();
        Run run = load("--mode", "passthrough", "--rate", "max", "--qos", "0");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--rate max needs --qos 1");
    }

    @Test
    void maxAtQos1PublishesAsTheWindowAllows() throws Exception {
        startBroker();
        Run run = load("--mode", "passthrough", "--rate", "max", "--inflight", "20", "--warmup", "0.5",
                "--duration", "1");
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("QoS 1, max msg/s").contains(", 0 unmatched, 0 lost;")
                .contains("latency from due time: none (--rate max has no schedule)");
    }

    /** 300 msg/s for 1 + 2 s from 50 devices over 2 connections, against the embedded broker. */
    private Run load(String... options) {
        List<String> args = new ArrayList<>(List.of("load", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--rate", "300", "--warmup", "1", "--duration", "2", "--devices", "50", "--connections", "2",
                "--drain", "20", "--seed", "1"));
        // later options win: the test's own come last
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine command = new CommandLine(new BenchMain());
            command.setOverwrittenOptionsAllowed(true);
            exit = command.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exit, String out, String err) {
    }

    private void startBroker() throws IOException {
        broker = EmbeddedBroker.anonymous();
        port = broker.port();
    }

    /**
     * A stand-in for a processing set-up: every input becomes an alert on {@code bench/alerts/<kind>} with the thing
     * id and the input's time, normalised as an adapter may (no fraction digits when they are zero); every
     * {@code skipEvery}-th input (0: none) gives no alert.
     */
    private void startRelay(int skipEvery) throws Exception {
        relay = client("relay");
        AtomicLong seen = new AtomicLong();
        relay.publishes(MqttGlobalPublishFilter.SUBSCRIBED, publish -> {
            if (skipEvery > 0 && seen.getAndIncrement() % skipEvery == 0) {
                skipped.incrementAndGet();
                return;
            }
            relay.publishWith().topic("bench/alerts/" + kind(publish)).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(alert(publish).getBytes(StandardCharsets.UTF_8)).send();
            relayed.incrementAndGet();
        });
        relay.subscribe(Mqtt3Subscribe.builder()
                .addSubscription().topicFilter(LoadCommand.INPUT_TOPICS.get(0)).qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .addSubscription().topicFilter(LoadCommand.INPUT_TOPICS.get(1)).qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .addSubscription().topicFilter(LoadCommand.INPUT_TOPICS.get(2)).qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .build()).get(10, TimeUnit.SECONDS);
    }

    private static String kind(Mqtt3Publish publish) {
        String topic = publish.getTopic().toString();
        return topic.startsWith("v3/") ? "ttn" : topic.startsWith("sound/") ? "sound" : "crowd";
    }

    private static String alert(Mqtt3Publish publish) {
        JsonObject input = Json.parse(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)).asObject();
        String thingId;
        String at;
        double value;
        switch (kind(publish)) {
            case "ttn" -> {
                thingId = "nl.demo.safety:eindhoven-sound-" + input.get("end_device_ids").asObject()
                        .getString("device_id", null);
                at = input.getString("received_at", null);
                value = input.get("uplink_message").asObject().get("decoded_payload").asObject()
                        .getDouble("soundAvg", 0);
            }
            case "sound" -> {
                thingId = "nl.demo.safety:" + input.getString("sensorId", null);
                at = input.getString("detectedAt", null);
                value = input.getDouble("confidence", 0);
            }
            default -> {
                thingId = "nl.demo.crowd:" + input.getString("sensorId", null);
                at = input.getString("observedAt", null);
                value = input.getDouble("count", 0);
            }
        }
        return new JsonObject().add("value", value).add("at", Instant.parse(at).toString()).add("thingId", thingId)
                .toString();
    }

    private Mqtt3AsyncClient client(String id) throws Exception {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        client.connectWith().cleanSession(true).send().get(10, TimeUnit.SECONDS);
        return client;
    }
}
