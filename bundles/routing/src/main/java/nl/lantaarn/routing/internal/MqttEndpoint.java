package nl.lantaarn.routing.internal;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code mqtt:<topic>?qos=&retain=}: publishes to one topic; see {@link MqttComponent}. */
final class MqttEndpoint extends DefaultEndpoint {

    private final String topic;
    private final int qos;
    private final boolean retain;

    MqttEndpoint(String uri, MqttComponent component, String topic, int qos, boolean retain) {
        super(uri, component);
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
    }

    @Override
    public MqttComponent getComponent() {
        return (MqttComponent) super.getComponent();
    }

    String topic() {
        return topic;
    }

    int qos() {
        return qos;
    }

    boolean retain() {
        return retain;
    }

    @Override
    public Producer createProducer() {
        return new MqttProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mqtt:" + topic + " can only be sent to (to:); consuming MQTT in "
                + "routes is not supported yet: adapters turn MQTT messages into twin events, consume hub:events");
    }
}
