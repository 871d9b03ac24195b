package nl.lantaarn.twin.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for twin changes: register an implementation as an OSGi service to receive every
 * {@link TwinEvent}.
 * <p>
 * Events of one thing arrive in revision order, on a thread of the twin service that is dedicated to this listener, so a
 * slow listener delays only itself. Return quickly anyway; hand long work to your own executor.
 */
@ConsumerType
public interface TwinEventListener {

    void onTwinEvent(TwinEvent event);
}
