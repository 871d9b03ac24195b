package nl.lantaarn.mqtt.internal;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reactivex.disposables.Disposable;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;

/** MQTT 3.1.1 flavour of {@link ProtocolClient}; the session lives as long as the broker keeps it. */
final class Mqtt3ProtocolClient implements ProtocolClient {

    private static final Logger LOG = LoggerFactory.getLogger(Mqtt3ProtocolClient.class);

    private final Mqtt3AsyncClient client;
    private final Disposable incoming;
    private final IncomingThread incomingThread;
    private final ConnectionSettings settings;

    Mqtt3ProtocolClient(MqttClientBuilder builder, ConnectionSettings settings, Dispatcher dispatcher) {
        this.settings = settings;
        Mqtt3ClientBuilder b = builder.useMqttVersion3();
        if (!settings.username().isEmpty()) {
            b = b.simpleAuth().username(settings.username()).password(settings.passwordBytes()).applySimpleAuth();
        }
        this.client = b.buildAsync();
        // see Mqtt5ProtocolClient
        this.incomingThread = new IncomingThread(settings.clientId());
        this.incoming = incomingThread.deliver(client.toRx().publishes(MqttGlobalPublishFilter.ALL)).subscribe(
                p -> dispatcher.dispatch(p.getTopic().toString(), p::getPayloadAsBytes),
                failure -> LOG.debug("MQTT incoming messages of {} ended: {}", settings.clientId(), failure.toString()));
    }

    @Override
    public CompletableFuture<Void> connect() {
        return client.connectWith()
                .cleanSession(settings.cleanStart())
                .keepAlive(settings.keepAliveSeconds())
                .send()
                .thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos, boolean retain) {
        return client.publishWith().topic(topic).payload(payload).qos(qos).retain(retain).send()
                .thenApply(published -> null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topicFilter, MqttQos qos) {
        return client.subscribeWith().topicFilter(topicFilter).qos(qos).send()
                .thenCompose(ack -> granted(topicFilter, ack));
    }

    private static CompletableFuture<Void> granted(String topicFilter, Mqtt3SubAck ack) {
        for (Mqtt3SubAckReturnCode code : ack.getReturnCodes()) {
            if (code.isError()) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "the broker refused the subscription to " + topicFilter + ": " + code));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        return client.unsubscribeWith().topicFilter(topicFilter).send();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect().whenComplete((ok, failure) -> {
            incoming.dispose();
            incomingThread.close();
        });
    }

    @Override
    public MqttClientState state() {
        return client.getState();
    }
}
