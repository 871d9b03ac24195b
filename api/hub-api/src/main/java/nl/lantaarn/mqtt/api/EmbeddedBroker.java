package nl.lantaarn.mqtt.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered by the embedded broker while it is listening. The hub's own MQTT connection uses it to find the port and
 * the credentials of the hub's internal user; those credentials are generated at each start and never written down.
 */
@ProviderType
public interface EmbeddedBroker {

    /** Host the broker listens on, e.g. {@code 0.0.0.0}. */
    String host();

    /** The TCP port it listens on. */
    int port();

    /** User name of the hub's internal client. */
    String internalUsername();

    /** Password of the hub's internal client; never log it. */
    char[] internalPassword();
}
