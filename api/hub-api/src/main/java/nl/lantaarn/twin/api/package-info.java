/**
 * The twin service: the hub's memory of every thing, in the Eclipse Ditto model.
 * <p>
 * Entry points: {@link nl.lantaarn.twin.api.TwinService} to read and write things (conditional writes with
 * {@link nl.lantaarn.twin.api.WriteCondition}), and {@link nl.lantaarn.twin.api.TwinEventListener} (whiteboard) to be
 * told of every accepted change. Refused writes throw a {@link nl.lantaarn.twin.api.TwinException}.
 * <p>
 * 1.1: modify, merge and delete by path, conditional writes, the typed exceptions, {@code TwinEvent.isThingDeleted()}.
 * 1.2: {@link nl.lantaarn.twin.api.TwinJsonSource}, every thing's JSON without parsing it (for the search index).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package nl.lantaarn.twin.api;
