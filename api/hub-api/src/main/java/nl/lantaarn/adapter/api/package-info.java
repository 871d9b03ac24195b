/**
 * The adapter SPI: what a vendor or city-system adapter bundle implements to bring its data into the hub.
 * <p>
 * An adapter bundle registers an {@link nl.lantaarn.adapter.api.AdapterFactory} service. The hub's adapter runtime
 * creates one {@link nl.lantaarn.adapter.api.SensorAdapter} per configuration (a ConfigAdmin factory configuration,
 * i.e. a file {@code etc/nl.lantaarn.adapter.<type>~<name>.cfg}), receives payloads over the adapter's
 * {@link nl.lantaarn.adapter.api.Inbound inbound transport}, hands each to
 * {@link nl.lantaarn.adapter.api.SensorAdapter#map(InboundMessage)} on the adapter's own worker, writes the resulting
 * {@link nl.lantaarn.things.model.ThingUpdate updates} to the twin, and keeps every payload the adapter rejects as a
 * dead letter with the adapter's reason. Desired properties and messages addressed to the adapter's things come back
 * through {@link nl.lantaarn.adapter.api.SensorAdapter#command(ThingCommand)} as vendor commands; the vendor's answer
 * comes back as a payload that {@link nl.lantaarn.adapter.api.SensorAdapter#acknowledgement(InboundMessage)} turns
 * into an {@link nl.lantaarn.adapter.api.Acknowledgement} (since 2.2).
 * <p>
 * Every adapter type declares a {@link nl.lantaarn.adapter.api.PrivacyManifest}: what it collects, why, on which legal
 * ground and for how long, and (since 2.3) which purposes may use it when it is personal
 * ({@link nl.lantaarn.adapter.api.PrivacyManifest#purposes()}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.3.0")
package nl.lantaarn.adapter.api;
