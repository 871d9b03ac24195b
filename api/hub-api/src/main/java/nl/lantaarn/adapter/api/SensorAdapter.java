package nl.lantaarn.adapter.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import nl.lantaarn.things.model.ThingUpdate;

/**
 * An adapter turns the payloads of one vendor or city system into thing updates.
 * <p>
 * Register an implementation as an OSGi service (a Declarative Services component is the usual way); the hub picks it
 * up while running and drops it when the service goes away, so an adapter bundle can be installed, upgraded and removed
 * without a restart.
 * <p>
 * Threading: the hub calls {@link #map(InboundMessage)} from one worker per adapter, never concurrently for the same
 * adapter, so an implementation needs no locking of its own. A slow or throwing adapter only affects itself.
 * <p>
 * An adapter never talks to the twin store, Camel, MQTT topics of other adapters or the HTTP API: it only maps.
 */
@ConsumerType
public interface SensorAdapter {

    /** Service property naming the adapter; equals {@link #id()}. */
    String ADAPTER_ID = "lantaarn.adapter.id";

    /**
     * Stable identifier of this adapter, lower case letters, digits and dashes, e.g. {@code demo-noise}. Used in dead
     * letters, metrics, health and the admin API.
     */
    String id();

    /** Where this adapter's payloads come from. */
    Inbound inbound();

    /**
     * Maps one payload to the thing updates it implies. Return an empty list when the payload is valid but carries
     * nothing to store (a heartbeat, say).
     *
     * @throws PayloadRejectedException when the payload cannot be mapped; its message is the reason kept with the
     *                                  dead letter, so make it say what is wrong (which field, what was expected)
     */
    List<ThingUpdate> map(InboundMessage message) throws PayloadRejectedException;
}
