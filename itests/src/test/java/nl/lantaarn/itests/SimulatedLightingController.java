package nl.lantaarn.itests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

/**
 * A street-light controller as the lighting adapter expects one (see adapters/lighting/README.md), over its own MQTT
 * connection: it reports the state of its lamps on {@code lighting/<controller>/lamp/<lamp>/state}, and answers every
 * command on {@code .../set} at once, as a real controller does: it applies the desired fields, acknowledges the
 * {@code commandId} on {@code lighting/<controller>/ack} and reports the lamp's new state. Every command is recorded.
 */
final class SimulatedLightingController implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;
    private static final List<String> FIELDS = List.of("dimLevel", "scene", "power");

    /** One command received for a lamp, as the hub sent it. */
    record Command(String lamp, JsonObject json) {

        String commandId() {
            return json.getValue("commandId").map(v -> v.asString()).orElse("");
        }
    }

    private final String controller;
    private final Mqtt3AsyncClient client;
    private final Map<String, JsonObject> state = new ConcurrentHashMap<>();
    private final List<Command> commands = new CopyOnWriteArrayList<>();

    private SimulatedLightingController(String controller, Mqtt3AsyncClient client) {
        this.controller = controller;
        this.client = client;
    }

    /** Connects (with credentials when {@code username} is not {@code null}) and listens for commands. */
    static SimulatedLightingController connect(String controller, String host, int port, String username,
            String password) {
        Mqtt3AsyncClient client = MqttClient.builder().useMqttVersion3()
                .identifier("itest-ctl-" + UUID.randomUUID().toString().substring(0, 8))
                .serverHost(host).serverPort(port).buildAsync();
        var connect = client.connectWith().cleanSession(true);
        join(username == null ? connect.send()
                : connect.simpleAuth().username(username).password(password.getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth().send(), "connect the controller " + controller);
        SimulatedLightingController simulated = new SimulatedLightingController(controller, client);
        join(client.subscribeWith().topicFilter("lighting/" + controller + "/lamp/+/set").qos(MqttQos.AT_LEAST_ONCE)
                .callback(simulated::onCommand).send(), "subscribe the controller " + controller + " to commands");
        return simulated;
    }

    /** Reports a lamp's state (QoS 1, returns once the broker has it). */
    void report(String lamp, String stateJson) {
        JsonObject reported = JsonFactory.newObject(stateJson);
        state.merge(lamp, reported, (old, now) -> old.setAll(now));
        join(publish(stateTopic(lamp), reported.toString()), "report the state of lamp " + lamp);
    }

    /** The commands received for {@code lamp} so far, in order of arrival (a repeated one, a retry, too). */
    List<Command> commands(String lamp) {
        List<Command> result = new ArrayList<>();
        for (Command command : commands) {
            if (command.lamp().equals(lamp)) {
                result.add(command);
            }
        }
        return result;
    }

    /** Every command received so far. */
    List<Command> commands() {
        return List.copyOf(commands);
    }

    String thingId(String lamp) {
        return "nl.demo.lighting:lamp-" + controller + "-" + lamp;
    }

    String stateTopic(String lamp) {
        return "lighting/" + controller + "/lamp/" + lamp + "/state";
    }

    /** On the client's thread: never blocks (publishes without waiting). */
    private void onCommand(Mqtt3Publish publish) {
        String[] levels = publish.getTopic().toString().split("/");
        String lamp = levels[levels.length - 2];
        JsonObject command;
        try {
            command = JsonFactory.newObject(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // the test sees it missing; a controller ignores what it cannot read
            return;
        }
        commands.add(new Command(lamp, command));
        String commandId = command.getValue("commandId").map(v -> v.asString()).orElse("");
        JsonObjectBuilder applied = JsonObject.newBuilder();
        for (String field : FIELDS) {
            command.getValue(field).ifPresent(value -> applied.set(field, value));
        }
        JsonObject now = state.merge(lamp, applied.build(), (old, changes) -> old.setAll(changes));
        publish("lighting/" + controller + "/ack", "{\"commandId\":\"" + commandId + "\",\"status\":\"ok\"}");
        publish(stateTopic(lamp), now.toString());
    }

    private CompletableFuture<?> publish(String topic, String payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing after a failed test: nothing left to do with the connection
        }
    }

    private static <T> T join(CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("MQTT: cannot " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("MQTT: " + what + " did not complete in " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted: " + what, e);
        }
    }
}
