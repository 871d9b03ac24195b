package nl.lantaarn.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;

/**
 * A street-light controller as the lighting adapter expects one (see adapters/lighting/README.md), over its own MQTT
 * connection: it reports the state of its lamps on {@code lighting/<controller>/lamp/<lamp>/state}, and answers every
 * command on {@code .../set} at once, as a real controller does: it applies the desired fields, acknowledges the
 * {@code commandId} on {@code lighting/<controller>/ack} and reports the lamp's new state. Every command is recorded.
 */
final class SimulatedLightingController implements AutoCloseable {

    private static final List<String> FIELDS = List.of("dimLevel", "scene", "power");

    /** One command received for a lamp, as the hub sent it. */
    record Command(String lamp, JsonObject json) {

        String commandId() {
            return json.getValue("commandId").map(v -> v.asString()).orElse("");
        }
    }

    private final String controller;
    private final MqttTestClient client;
    private final Map<String, JsonObject> state = new ConcurrentHashMap<>();
    private final List<Command> commands = new CopyOnWriteArrayList<>();

    private SimulatedLightingController(String controller, MqttTestClient client) {
        this.controller = controller;
        this.client = client;
    }

    /** Connects (with credentials when {@code username} is not {@code null}) and listens for commands. */
    static SimulatedLightingController connect(String controller, String host, int port, String username,
            String password) {
        SimulatedLightingController simulated = new SimulatedLightingController(controller,
                MqttTestClient.connect(host, port, username, password));
        simulated.client.subscribe("lighting/" + controller + "/lamp/+/set", simulated::onCommand);
        return simulated;
    }

    /** Reports a lamp's state (QoS 1, returns once the broker has it). */
    void report(String lamp, String stateJson) {
        JsonObject reported = JsonFactory.newObject(stateJson);
        state.merge(lamp, reported, (old, now) -> old.setAll(now));
        client.publish(stateTopic(lamp), reported.toString());
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
    private void onCommand(MqttTestClient.Message message) {
        String[] levels = message.topic().split("/");
        String lamp = levels[levels.length - 2];
        JsonObject command;
        try {
            command = JsonFactory.newObject(message.payload());
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
        client.publishAsync("lighting/" + controller + "/ack",
                "{\"commandId\":\"" + commandId + "\",\"status\":\"ok\"}");
        client.publishAsync(stateTopic(lamp), now.toString());
    }

    @Override
    public void close() {
        client.close();
    }
}
