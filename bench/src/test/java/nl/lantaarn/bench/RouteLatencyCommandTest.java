package nl.lantaarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;

import picocli.CommandLine;

/**
 * A short run of {@code route-latency} against a stand-in for the hub: an embedded broker and a subscriber that, like
 * the hub's route and webhook channel, POSTs an alert JSON carrying each reading's fields to the command's receiver,
 * one at a time. It checks that the harness works (alerts arrive and are matched, the report is printed), not the
 * hub and not how fast anything is.
 */
class RouteLatencyCommandTest {

    private static final String USER = "devices";
    private static final String PASSWORD = "bench-secret";

    @TempDir
    Path home;

    private EmbeddedBroker broker;
    private Mqtt3AsyncClient standIn;
    private final ExecutorService channel = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        if (standIn != null) {
            standIn.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void matchesEveryAlertToItsReadingAndPrintsTheReport() throws Exception {
        broker = EmbeddedBroker.withUser(USER, PASSWORD);
        int mqttPort = broker.port();
        int webhookPort = EmbeddedBroker.freePort();
        startStandInHub(mqttPort, URI.create("http://127.0.0.1:" + webhookPort + RouteLatencyCommand.WEBHOOK_PATH));
        Path passwordFile = Files.writeString(home.resolve("devices.password"), PASSWORD + "\n");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new BenchMain()).execute("route-latency", "--rate", "40", "--warmup", "1",
                    "--duration", "2", "--sensors", "5", "--drain", "20", "--webhook-port",
                    Integer.toString(webhookPort), "--host", "127.0.0.1", "--port", Integer.toString(mqttPort),
                    "--password-file", passwordFile.toString());
        } finally {
            System.setOut(originalOut);
        }
        String report = out.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(report).isZero();
        assertThat(report)
                .contains("Webhook receiver listening on http://127.0.0.1:" + webhookPort + "/alerts")
                .contains("published: 120 acknowledged, 0 failed")
                .contains("alerts: 120 received, 120 unique, 0 lost, 0 duplicates, 0 unmatched; measured: 80 alerts")
                .contains("latency from publish (ms): p50 ")
                .contains("latency from due time (ms): p50 ");
    }

    /** Every reading on sim/noise/+ becomes an alert POSTed to the webhook, in order, as the hub's channel does. */
    private void startStandInHub(int mqttPort, URI webhook) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        standIn = MqttClient.builder().useMqttVersion3().identifier("stand-in-hub").serverHost("127.0.0.1")
                .serverPort(mqttPort).simpleAuth().username(USER).password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildAsync();
        standIn.connectWith().cleanSession(true).send().get(10, TimeUnit.SECONDS);
        standIn.subscribeWith().topicFilter(NoiseReadings.TOPIC_PREFIX + "+").qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> {
                    String reading = StandardCharsets.UTF_8.decode(publish.getPayload().orElseThrow()).toString();
                    String alert = "{\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"route:bench-latency\","
                            + "\"severity\":\"warning\",\"title\":\"Noise\",\"thingId\":null,\"zone\":null,"
                            + "\"body\":" + reading + "}";
                    channel.execute(() -> post(http, webhook, alert));
                })
                .send().get(10, TimeUnit.SECONDS);
    }

    private static void post(HttpClient http, URI webhook, String alert) {
        try {
            http.send(HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(alert)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
