package nl.lantaarn.twin.api;

import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.osgi.annotation.versioning.ProviderType;

import nl.lantaarn.things.model.ThingUpdate;

/**
 * Reads and writes digital twins. Implementations are thread safe; every accepted change raises one
 * {@link TwinEvent}, delivered in order per thing to every {@link TwinEventListener}, without blocking the writer.
 *
 * <h2>Durability</h2>
 * A write method that returns has made its change durable in the twin's store (see the store's documentation for
 * what "durable" covers, e.g. a process crash or a power loss); a write that throws changed nothing. Writes of one
 * thing are applied one after the other, in the order they are made; writes of different things run in parallel.
 *
 * <h2>Paths</h2>
 * The {@code path} of {@link #modify}, {@link #merge} and {@link #delete} is a JSON pointer into the thing's Ditto JSON,
 * as in Ditto's HTTP API:
 * <table>
 * <caption>Addressable parts of a thing</caption>
 * <tr><td>(empty pointer)</td><td>the whole thing</td></tr>
 * <tr><td>{@code /policyId}, {@code /definition}</td><td>the policy id, the thing definition</td></tr>
 * <tr><td>{@code /attributes}, {@code /attributes/<path>}</td><td>all attributes, one (nested) attribute</td></tr>
 * <tr><td>{@code /features}, {@code /features/<id>}</td><td>all features, one feature</td></tr>
 * <tr><td>{@code /features/<id>/definition}</td><td>a feature's definition</td></tr>
 * <tr><td>{@code /features/<id>/properties[/<path>]}</td><td>reported properties, one (nested) property</td></tr>
 * <tr><td>{@code /features/<id>/desiredProperties[/<path>]}</td><td>desired properties, one desired property</td></tr>
 * </table>
 * Any other path is refused with an {@link IllegalArgumentException} that names it.
 *
 * <h2>Errors</h2>
 * Writes throw {@link IllegalArgumentException} when the result would break the hub's model conventions (the message
 * names the field), {@link TwinConflictException} when a {@link WriteCondition} does not hold,
 * {@link TwinNotFoundException} when the addressed thing or part does not exist, and {@link TwinStoreException} when
 * the store cannot keep the change durably.
 */
@ProviderType
public interface TwinService {

    /** The thing as it is now, with its revision and modified time. */
    Optional<Thing> retrieve(ThingId thingId);

    /** All things, ordered by thing id. */
    List<Thing> list();

    /** Number of things held. */
    int size();

    /**
     * Creates the thing when it does not exist, otherwise merges the update into it (RFC 7396 merge patch semantics:
     * objects merge, {@code null} removes). Updates of one thing are applied in the order they are given. The same as
     * {@code merge(update.thingId(), JsonPointer.empty(), update.patch(), WriteCondition.any())}.
     *
     * @return the thing after the change
     * @throws IllegalArgumentException when the resulting thing breaks the hub's model conventions; the message names
     *                                  the field
     * @throws TwinStoreException       when the store cannot keep the change (since 1.1)
     */
    Thing apply(ThingUpdate update);

    /**
     * Sets the part of the thing at {@code path} to {@code value}, replacing what was there (HTTP PUT). At the empty
     * path this creates or replaces the whole thing ({@code ThingCreated} / {@code ThingModified}); a {@code thingId}
     * in the value must then match. At any other path the thing must exist; missing parent objects are created. The
     * event is the specific Ditto event of that path, e.g. {@code AttributeModified}, {@code FeaturePropertyCreated},
     * {@code FeatureDesiredPropertyModified}.
     *
     * @return the thing after the change
     * @throws TwinNotFoundException when the path is not empty and the thing does not exist
     * @since 1.1
     */
    Thing modify(ThingId thingId, JsonPointer path, JsonValue value, WriteCondition condition);

    /**
     * Merges {@code patch} into the part of the thing at {@code path} with RFC 7396 merge patch semantics (HTTP PATCH
     * with {@code application/merge-patch+json}): objects merge, {@code null} removes, anything else replaces. At the
     * empty path a missing thing is created ({@code ThingCreated}); at any other path the thing must exist. The event of
     * a merge into an existing thing is {@code ThingMerged} with the path and the patch.
     *
     * @return the thing after the change
     * @throws TwinNotFoundException when the path is not empty and the thing does not exist
     * @since 1.1
     */
    Thing merge(ThingId thingId, JsonPointer path, JsonValue patch, WriteCondition condition);

    /**
     * Deletes the thing (empty path; event {@code ThingDeleted}) or the part of it at {@code path} (e.g.
     * {@code AttributeDeleted}, {@code FeaturePropertyDeleted}). The policy id cannot be deleted.
     *
     * @return the thing after the change; empty when the whole thing was deleted
     * @throws TwinNotFoundException when the thing, or the part at {@code path}, does not exist
     * @since 1.1
     */
    Optional<Thing> delete(ThingId thingId, JsonPointer path, WriteCondition condition);
}
