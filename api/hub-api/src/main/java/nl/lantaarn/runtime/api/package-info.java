/**
 * Facts about the running hub that every bundle shares.
 * <p>
 * Entry point: {@link nl.lantaarn.runtime.api.HubHome}, the hub's home folder.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.runtime.api;
