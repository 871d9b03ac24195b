package nl.lantaarn.ditto.api.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.AttributeNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.AttributesNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeatureDefinitionNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeatureDesiredPropertiesNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeatureDesiredPropertyNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeatureNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeaturePropertiesNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeaturePropertyNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeaturesNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.PolicyIdNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingDefinitionNotModifiableException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotModifiableException;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;
import nl.lantaarn.security.api.ThingAccess;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * What one client may do through the Ditto API, the same over HTTP and the WebSocket: its role first (reader for
 * retrieves, searches and events, writer for writes), then the hub's access policies ({@link ThingAccess}), which
 * cut every thing, part, search result and event to what the client may read and refuse writes it has no WRITE
 * grant for. A thing the client may not see is answered exactly like one that does not exist.
 */
final class Enforcement {

    /** A client whose role does not allow a retrieve, search or event subscription. */
    static final String ROLE_INSUFFICIENT = "lantaarn:role.insufficient";
    private static final String POLICIES_HINT = "Write only what the client may write; an operator grants more in a "
            + "policy file in the hub's policies/ folder (Ditto policy JSON: subjects lantaarn:client:<name> or "
            + "lantaarn:role:<role>, resources thing:/<path>, domain:/<domain>, zone:/<zone>, grants READ and WRITE).";

    private final ThingAccess access;

    Enforcement(ThingAccess access) {
        this.access = access;
    }

    /** Refuses with 403 unless the client has role reader (or higher); {@code what} names the refused operation. */
    static void requireReader(ApiClient client, String what, DittoHeaders headers) {
        if (!client.may(Role.READER)) {
            throw new HubRefusalException(ROLE_INSUFFICIENT, HttpStatus.FORBIDDEN, roleMessage(client, Role.READER,
                    what), roleDescription(Role.READER), headers);
        }
    }

    /** Refuses with Ditto's 403 "not modifiable" error of {@code path} unless the client has role writer. */
    static void requireWriter(ApiClient client, ThingId thingId, JsonPointer path, DittoHeaders headers) {
        if (!client.may(Role.WRITER)) {
            throw notModifiable(thingId, path, roleMessage(client, Role.WRITER, "Changing things"),
                    roleDescription(Role.WRITER), headers);
        }
    }

    private static String roleMessage(ApiClient client, Role needed, String what) {
        String above = Arrays.stream(Role.values()).filter(role -> role.compareTo(needed) > 0).map(Role::id)
                .collect(Collectors.joining(", "));
        String has = client.roles().isEmpty() ? "no role"
                : "role " + client.roles().stream().map(Role::id).collect(Collectors.joining(", "));
        return what + " needs role " + needed.id() + (above.isEmpty() ? "" : " (or " + above + ")")
                + "; API client '" + client.name() + "' has " + has + ".";
    }

    private static String roleDescription(Role needed) {
        return "Use the key of a client with that role; an operator adds one with: ./lantaarn clients add <name> "
                + "--role " + needed.id() + " --purpose <purpose id>.";
    }

    boolean readsEverything(ApiClient client) {
        return access.readsEverything(client);
    }

    /**
     * The thing as the client may see it, as Ditto answers a retrieve: its regular fields, or the selected ones
     * (which may be special, such as {@code _revision}); empty when the client may see nothing of it.
     */
    Optional<JsonObject> view(ApiClient client, Thing thing, JsonFieldSelector fields) {
        if (fields == null) {
            return access.readable(client, thing.toJson());
        }
        return access.readable(client, thing.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial()))
                .map(view -> view.get(fields));
    }

    /**
     * The thing with its special fields ({@code _revision}, ...) as the client may see it, to read a part of it;
     * empty when it may see nothing of it. A part missing from it is missing or hidden: callers answer both alike.
     */
    Optional<JsonObject> seen(ApiClient client, Thing thing) {
        JsonObject full = thing.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial());
        return access.readsEverything(client) ? Optional.of(full) : access.readable(client, full);
    }

    /**
     * Whether the client may see the thing and read every path a query's filter reads: a match on a value the client
     * may not read would tell it something about that value, so such a thing never matches.
     */
    boolean mayMatch(ApiClient client, JsonObject thing, List<JsonPointer> queried) {
        for (JsonPointer path : queried) {
            if (!access.mayRead(client, thing, path)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses the write with Ditto's 403 "not modifiable" error unless the policies grant WRITE on every written
     * path: every leaf of a merge patch or of a value where there was none (a new thing, say), and everything at and
     * below the path of a replacement or a deletion. The thing's domain and zone come from the thing as it is, or for
     * a new thing from the body that creates it.
     *
     * @param before the thing before the write, if it exists
     * @param body   the value written at {@code path}; {@code null} for a deletion
     * @param merge  whether {@code body} is a merge patch (each of its leaves is written) or replaces {@code path}
     */
    void requireWrite(ApiClient client, ThingId thingId, Optional<Thing> before, JsonPointer path, JsonValue body,
            boolean merge, DittoHeaders headers) {
        requireWriter(client, thingId, path, headers);
        JsonObject scope = before.map(Thing::toJson).orElseGet(() -> {
            JsonObject created = path.isEmpty() && body != null && body.isObject() ? body.asObject()
                    : JsonObject.empty();
            return created.setValue("thingId", thingId.toString());
        });
        List<JsonPointer> written = new ArrayList<>();
        boolean replaces = before.flatMap(thing -> thing.toJson().getValue(path)).isPresent();
        if (body != null && (merge || !replaces)) {
            // a merge, or a value where there was none, writes its leaves and overwrites nothing else
            leaves(path, body, written);
        } else {
            // a replacement or a deletion changes everything at and below the path
            written.add(path);
        }
        for (JsonPointer pointer : written) {
            if (!access.mayWrite(client, scope, pointer)) {
                throw notModifiable(thingId, path, "The access policies grant API client '" + client.name()
                        + "' no WRITE on thing:" + (pointer.isEmpty() ? "/" : pointer.toString()) + " of '" + thingId
                        + "' (or on its domain or zone).", POLICIES_HINT, headers);
            }
        }
    }

    /** The paths a merge patch writes: each member that is not itself an object with members, recursively. */
    static void leaves(JsonPointer at, JsonValue patch, List<JsonPointer> into) {
        if (!patch.isObject() || patch.asObject().isEmpty()) {
            into.add(at);
            return;
        }
        for (JsonField field : patch.asObject()) {
            leaves(at.addLeaf(field.getKey()), field.getValue(), into);
        }
    }

    /**
     * A twin event as the client may see it: unchanged when it may read all of the changed part; with the value cut
     * to what it may read when it may read some of it; a deletion only when it may read the deleted part (or, for the
     * whole thing, see the thing); otherwise none, so no hidden value ever leaves the hub.
     */
    Optional<Adaptable> visibleEvent(ApiClient client, TwinEvent event, Adaptable adaptable) {
        if (access.readsEverything(client)) {
            return Optional.of(adaptable);
        }
        JsonObject thing = event.thing().toJson();
        JsonPointer path = event.event().getResourcePath();
        if (access.mayRead(client, thing, path)) {
            return Optional.of(adaptable);
        }
        if (access.readable(client, thing).isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonValue> value = adaptable.getPayload().getValue();
        if (value.isEmpty()) {
            return path.isEmpty() ? Optional.of(adaptable) : Optional.empty();
        }
        // the changed value where it sits in the thing, with what decides the thing's zone
        JsonObject shaped = JsonObject.newBuilder().set("thingId", event.thingId().toString()).build();
        for (String scope : List.of("attributes/location", "attributes/zone")) {
            JsonPointer pointer = JsonPointer.of(scope);
            Optional<JsonValue> held = thing.getValue(pointer);
            if (held.isPresent()) {
                shaped = shaped.setValue(pointer, held.get());
            }
        }
        shaped = path.isEmpty() ? (value.get().isObject() ? shaped.setAll(value.get().asObject()) : shaped)
                : shaped.setValue(path, value.get());
        return access.readable(client, shaped)
                .flatMap(view -> path.isEmpty() ? Optional.of(view) : view.getValue(path))
                .map(cut -> ProtocolFactory.newAdaptableBuilder(adaptable)
                        .withPayload(ProtocolFactory.toPayloadBuilder(adaptable.getPayload()).withValue(cut).build())
                        .build());
    }

    /** Ditto's typed 403 for a write of {@code path} (what Ditto answers a subject without WRITE on it). */
    static DittoRuntimeException notModifiable(ThingId thingId, JsonPointer path, String message, String description,
            DittoHeaders headers) {
        int levels = path.getLevelCount();
        String root = levels == 0 ? "" : path.get(0).map(Object::toString).orElse("");
        String second = levels < 2 ? "" : path.get(1).map(Object::toString).orElse("");
        String third = levels < 3 ? "" : path.get(2).map(Object::toString).orElse("");
        if (root.equals("attributes")) {
            return levels == 1
                    ? AttributesNotModifiableException.newBuilder(thingId).message(message).description(description)
                            .dittoHeaders(headers).build()
                    : AttributeNotModifiableException.newBuilder(thingId, path.nextLevel()).message(message)
                            .description(description).dittoHeaders(headers).build();
        }
        if (root.equals("features") && levels == 1) {
            return FeaturesNotModifiableException.newBuilder(thingId).message(message).description(description)
                    .dittoHeaders(headers).build();
        }
        if (root.equals("features") && levels == 2) {
            return FeatureNotModifiableException.newBuilder(thingId, second).message(message)
                    .description(description).dittoHeaders(headers).build();
        }
        if (root.equals("features") && third.equals("definition")) {
            return FeatureDefinitionNotModifiableException.newBuilder(thingId, second).message(message)
                    .description(description).dittoHeaders(headers).build();
        }
        if (root.equals("features") && third.equals("properties")) {
            return levels == 3
                    ? FeaturePropertiesNotModifiableException.newBuilder(thingId, second).message(message)
                            .description(description).dittoHeaders(headers).build()
                    : FeaturePropertyNotModifiableException.newBuilder(thingId, second, path.getSubPointer(3)
                            .orElseThrow()).message(message).description(description).dittoHeaders(headers).build();
        }
        if (root.equals("features") && third.equals("desiredProperties")) {
            return levels == 3
                    ? FeatureDesiredPropertiesNotModifiableException.newBuilder(thingId, second).message(message)
                            .description(description).dittoHeaders(headers).build()
                    : FeatureDesiredPropertyNotModifiableException.newBuilder(thingId, second, path.getSubPointer(3)
                            .orElseThrow()).message(message).description(description).dittoHeaders(headers).build();
        }
        if (root.equals("policyId") && levels == 1) {
            return PolicyIdNotModifiableException.newBuilder(thingId).message(message).description(description)
                    .dittoHeaders(headers).build();
        }
        if (root.equals("definition") && levels == 1) {
            return ThingDefinitionNotModifiableException.newBuilder(thingId).message(message)
                    .description(description).dittoHeaders(headers).build();
        }
        return ThingNotModifiableException.newBuilder(thingId).message(message).description(description)
                .dittoHeaders(headers).build();
    }
}
