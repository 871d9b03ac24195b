package nl.lantaarn.mqtt.internal;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reactivex.disposables.Disposable;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;

/** MQTT 5 flavour of {@link ProtocolClient}. */
final class Mqtt5ProtocolClient implements ProtocolClient {

    private static final Logger LOG = LoggerFactory.getLogger(Mqtt5ProtocolClient.class);

    /**
     * QoS 1/2 messages the broker may send before the hub acknowledges them. While the intake holds back (a full
     * adapter inbox), the rest wait in the broker's queue. With the protocol's maximum, 65,535, Mosquitto 2.0 sent
     * more than allowed once the hub held back that many (the client then closes the connection, and the broker
     * sends them all again): found by the compare benchmark.
     */
    static final int RECEIVE_MAXIMUM = 1_000;

    private final Mqtt5AsyncClient client;
    private final Disposable incoming;
    private final IncomingThread incomingThread;
    private final ConnectionSettings settings;

    Mqtt5ProtocolClient(MqttClientBuilder builder, ConnectionSettings settings, Dispatcher dispatcher) {
        this.settings = settings;
        Mqtt5ClientBuilder b = builder.useMqttVersion5();
        if (!settings.username().isEmpty()) {
            b = b.simpleAuth().username(settings.username()).password(settings.passwordBytes()).applySimpleAuth();
        }
        this.client = b.buildAsync();
        // one flow for every incoming message, subscribed before connecting so that messages of a resumed session
        // are not missed; the dispatcher finds the handlers. Disposed on disconnect: while it lives, the client
        // keeps its Netty threads.
        this.incomingThread = new IncomingThread(settings.clientId());
        this.incoming = incomingThread.deliver(client.toRx().publishes(MqttGlobalPublishFilter.ALL)).subscribe(
                p -> dispatcher.dispatch(p.getTopic().toString(), p::getPayloadAsBytes),
                failure -> LOG.debug("MQTT incoming messages of {} ended: {}", settings.clientId(), failure.toString()));
    }

    @Override
    public CompletableFuture<Void> connect() {
        return client.connectWith()
                .cleanStart(settings.cleanStart())
                .sessionExpiryInterval(settings.cleanStart() ? 0 : settings.sessionExpirySeconds())
                .keepAlive(settings.keepAliveSeconds())
                .restrictions().receiveMaximum(RECEIVE_MAXIMUM).applyRestrictions()
                .send()
                .thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos, boolean retain) {
        return client.publishWith().topic(topic).payload(payload).qos(qos).retain(retain).send()
                .thenCompose(Mqtt5ProtocolClient::checked);
    }

    private static CompletableFuture<Void> checked(Mqtt5PublishResult result) {
        return result.getError().<CompletableFuture<Void>>map(CompletableFuture::failedFuture)
                .orElse(CompletableFuture.completedFuture(null));
    }

    @Override
    public CompletableFuture<Void> subscribe(String topicFilter, MqttQos qos) {
        return client.subscribeWith().topicFilter(topicFilter).qos(qos).send()
                .thenCompose(ack -> granted(topicFilter, ack));
    }

    private static CompletableFuture<Void> granted(String topicFilter, Mqtt5SubAck ack) {
        for (Mqtt5SubAckReasonCode code : ack.getReasonCodes()) {
            if (code.isError()) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "the broker refused the subscription to " + topicFilter + ": " + code));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        return client.unsubscribeWith().topicFilter(topicFilter).send().thenApply(ack -> null);
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
