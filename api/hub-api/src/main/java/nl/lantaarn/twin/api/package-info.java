/**
 * The twin service: the hub's memory of every thing, in the Eclipse Ditto model.
 * <p>
 * Entry points: {@link nl.lantaarn.twin.api.TwinService} to read and write things, and
 * {@link nl.lantaarn.twin.api.TwinEventListener} (whiteboard) to be told of every accepted change.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.twin.api;
