/**
 * The adapter SPI: what a vendor or city-system adapter bundle implements to bring its data into the hub.
 * <p>
 * Entry point: {@link nl.lantaarn.adapter.api.SensorAdapter}. An adapter registers one as an OSGi service; the hub's
 * adapter runtime subscribes to the adapter's {@link nl.lantaarn.adapter.api.Inbound inbound transport}, hands every
 * payload to {@link nl.lantaarn.adapter.api.SensorAdapter#map(InboundMessage)} on the adapter's own worker, writes the
 * resulting {@link nl.lantaarn.things.model.ThingUpdate updates} to the twin, and keeps every payload the adapter
 * rejects as a dead letter with the adapter's reason.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.adapter.api;
