/**
 * What the hub offers about its adapters: status and counters of every instance, starting and stopping instances,
 * and handing payloads to an instance from outside its own transport (webhook endpoints of adapter bundles,
 * dead-letter replay).
 * <p>
 * Entry point: {@link nl.lantaarn.adapter.admin.AdapterAdmin}, provided by the adapter runtime.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package nl.lantaarn.adapter.admin;
