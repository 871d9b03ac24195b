package nl.lantaarn.mqtt.internal;

import java.util.function.Supplier;

/** Hands an incoming message to the handlers whose topic filter matches. */
@FunctionalInterface
interface Dispatcher {

    /**
     * @param topic   the message's topic
     * @param payload makes a fresh copy of the payload on each call, one per handler
     */
    void dispatch(String topic, Supplier<byte[]> payload);
}
