package nl.lantaarn.security.api;

import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What of a thing an API client may read and change, decided by the hub's access policies (Ditto-style: subjects,
 * resources such as {@code thing:/features/noise/properties/laeq}, {@code domain:/safety} or
 * {@code zone:/stratumseind}, and READ/WRITE grants and revokes). Every bundle that serves things to clients (the
 * API, search, streams, the Ditto-compatible API) asks it, so a client sees the same through each of them.
 * <p>
 * Thread safe and cheap: it is asked for every thing a response or an event carries.
 */
@ProviderType
public interface ThingAccess {

    /**
     * Whether the client may read every part of every thing in every domain and zone, so its answers need no view.
     * A fast path: when {@code false}, ask {@link #readable(ApiClient, JsonObject)} per thing.
     */
    boolean readsEverything(ApiClient client);

    /**
     * The thing as the client may see it: parts it has no READ grant for are absent (not masked).
     *
     * @param thing the thing's JSON; it must hold {@code thingId}, and {@code attributes/location} or
     *              {@code attributes/zone} when it has them (zone grants are decided by them)
     * @return the visible part, always with {@code thingId}; empty when the client may see nothing of it
     */
    Optional<JsonObject> readable(ApiClient client, JsonObject thing);

    /**
     * Whether the client may read everything at and below {@code path} of the thing (for a part such as one
     * property's history or one change event; for whole things use {@link #readable(ApiClient, JsonObject)}).
     *
     * @param thing the thing's JSON, as for {@link #readable(ApiClient, JsonObject)}
     * @param path  inside the thing, e.g. {@code /features/noise/properties/laeq}; {@code /} for all of it
     */
    boolean mayRead(ApiClient client, JsonObject thing, JsonPointer path);

    /**
     * Whether the client may write everything at and below {@code path} of the thing.
     *
     * @param thing the thing's JSON as it is now, or for a new thing as it would be (at least {@code thingId})
     * @param path  inside the thing, e.g. {@code /features/lamp/properties/dimLevel}; {@code /} for all of it
     */
    boolean mayWrite(ApiClient client, JsonObject thing, JsonPointer path);
}
