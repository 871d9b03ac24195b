package nl.lantaarn.routing.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.eclipse.ditto.json.JsonValue;

import nl.lantaarn.mqtt.api.MqttConnection;

/**
 * Publishes the body: {@code byte[]} as is, a String as UTF-8, a Map, List or Ditto JSON value as JSON text, anything
 * else through Camel's type converters. A publish that fails (or no connection) fails the exchange, so the route's
 * error handling can retry or dead-letter it.
 */
final class MqttProducer extends DefaultAsyncProducer {

    MqttProducer(MqttEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MqttEndpoint getEndpoint() {
        return (MqttEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        MqttEndpoint endpoint = getEndpoint();
        CompletionStage<Void> publish;
        try {
            byte[] payload = payload(exchange);
            MqttConnection connection = endpoint.getComponent().connection();
            if (connection == null) {
                throw new CamelExchangeException("Cannot publish to MQTT topic " + endpoint.topic()
                        + ": the hub has no MQTT connection right now", exchange);
            }
            publish = connection.publish(endpoint.topic(), payload, endpoint.qos(), endpoint.retain());
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        // 0: waiting, 1: process() returned (async), 2: completed before process() returned (sync)
        AtomicInteger state = new AtomicInteger();
        publish.whenComplete((ignored, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                exchange.setException(new CamelExchangeException("Publishing to MQTT topic " + endpoint.topic()
                        + " failed: " + cause.getMessage(), exchange, cause));
            }
            if (!state.compareAndSet(0, 2)) {
                callback.done(false);
            }
        });
        if (state.compareAndSet(0, 1)) {
            return false;
        }
        callback.done(true);
        return true;
    }

    private byte[] payload(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            throw new CamelExchangeException("Cannot publish to MQTT topic " + getEndpoint().topic()
                    + ": the message body is empty; set a body before sending to mqtt:", exchange);
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (body instanceof Map<?, ?> || body instanceof Collection<?> || body instanceof JsonValue
                || body instanceof Number || body instanceof Boolean) {
            return JsonConversion.toJson(body).toString().getBytes(StandardCharsets.UTF_8);
        }
        return exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, body);
    }
}
