package nl.lantaarn.adapter.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What an adapter bundle registers as an OSGi service (a Declarative Services component is the usual way): the adapter
 * type and how to make an instance of it from a configuration.
 * <p>
 * The hub keeps the instances' inbound subscriptions and inboxes while the factory service is briefly away, so
 * updating the bundle (a new jar in {@code deploy/}) loses no payload.
 */
@ConsumerType
public interface AdapterFactory {

    /** What this adapter type is: id, vendor, domains, privacy manifest. Called once per registration. */
    AdapterType type();

    /**
     * Creates one adapter instance. Validate the configuration here and name the offending field in the exception:
     * the instance is then shown FAILED with that reason and every other adapter keeps running.
     *
     * @throws AdapterConfigurationException when the configuration is not valid
     */
    SensorAdapter create(AdapterConfiguration configuration) throws AdapterConfigurationException;
}
