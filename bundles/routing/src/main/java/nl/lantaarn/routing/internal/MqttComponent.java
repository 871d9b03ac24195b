package nl.lantaarn.routing.internal;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import nl.lantaarn.mqtt.api.MqttConnection;

/**
 * The {@code mqtt} Camel component: {@code mqtt:<topic>?qos=1&retain=false} publishes the message body through the
 * hub's shared {@link MqttConnection}. Producer only.
 */
final class MqttComponent extends DefaultComponent {

    static final String SCHEME = "mqtt";

    private final Supplier<MqttConnection> connection;

    /** @param connection the current connection, or {@code null} while there is none */
    MqttComponent(Supplier<MqttConnection> connection) {
        this.connection = connection;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String topic = remaining;
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("mqtt: the topic is missing; write mqtt:<topic>, e.g. "
                    + "mqtt:lantaarn/alerts/safety");
        }
        if (topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException("mqtt:" + topic + ": a topic to publish to cannot contain the "
                    + "wildcards + or #");
        }
        int qos = getAndRemoveParameter(parameters, "qos", Integer.class, 1);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("mqtt:" + topic + ": qos=" + qos + " is not an MQTT QoS; use 0, 1 or 2");
        }
        boolean retain = getAndRemoveParameter(parameters, "retain", Boolean.class, Boolean.FALSE);
        return new MqttEndpoint(uri, this, topic, qos, retain);
    }

    /** The connection, or {@code null} while there is none. */
    MqttConnection connection() {
        return connection.get();
    }
}
