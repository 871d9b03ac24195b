package nl.lantaarn.ditto.api.internal;

import java.util.Optional;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatcher;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatchers;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.WithOptionalEntity;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToAccessExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThing;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;

import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.twin.api.TwinService;
import nl.lantaarn.twin.api.WriteCondition;

/**
 * Executes Ditto thing commands on the hub's {@link TwinService}, within what the client's role and the access
 * policies allow ({@link Enforcement}). A command addresses a JSON pointer in the thing
 * ({@code getResourcePath()}), which is exactly what the twin's {@code modify}/{@code merge}/{@code delete} take, so
 * one rule per command category serves every thing command of the Ditto protocol.
 */
final class TwinCommands {

    /** What a command answered: the HTTP status and, for reads and creations, the value. */
    record Outcome(HttpStatus status, JsonValue value) {
    }

    private final TwinService twin;
    private final Enforcement enforcement;

    TwinCommands(TwinService twin, Enforcement enforcement) {
        this.twin = twin;
        this.enforcement = enforcement;
    }

    /**
     * Executes the command for {@code client}: retrieves need role reader and answer only what the access policies
     * let it read (a thing it may not see is answered like a missing one, a part it may not read like a missing
     * part); writes need role writer and a WRITE grant on every written path.
     *
     * @param signal a {@link ThingCommand} or {@link RetrieveThings}
     * @throws RuntimeException what the twin threw or the refusal; {@link DittoErrors} turns it into the Ditto error
     */
    Outcome execute(Signal<?> signal, ApiClient client) {
        if (signal instanceof RetrieveThings many) {
            Enforcement.requireReader(client, "Retrieving things", many.getDittoHeaders());
            JsonFieldSelector fields = many.getSelectedFields().orElse(null);
            JsonArray things = many.getEntityIds().stream()
                    .map(twin::retrieve)
                    .flatMap(Optional::stream)
                    .map(thing -> enforcement.view(client, thing, fields))
                    .flatMap(Optional::stream)
                    .collect(JsonFactory::newArrayBuilder, (b, v) -> b.add(v), (a, b) -> a.addAll(b.build()))
                    .build();
            return new Outcome(HttpStatus.OK, things);
        }
        ThingCommand<?> command = (ThingCommand<?>) signal;
        ThingId thingId = command.getEntityId();
        JsonPointer path = command.getResourcePath();
        DittoHeaders headers = command.getDittoHeaders();
        if (command instanceof MergeThing) {
            Enforcement.requireWriter(client, thingId, path, headers);
            JsonValue patch = entity(command);
            enforcement.requireWrite(client, thingId, twin.retrieve(thingId), path, patch, true, headers);
            twin.merge(thingId, path, patch, condition(headers));
            return new Outcome(HttpStatus.NO_CONTENT, null);
        }
        switch (command.getCategory()) {
            case QUERY:
                Enforcement.requireReader(client, "Retrieving things", headers);
                return retrieve(command, client, thingId, path);
            case MODIFY: {
                Enforcement.requireWriter(client, thingId, path, headers);
                JsonValue entity = entity(command);
                Optional<Thing> before = twin.retrieve(thingId);
                enforcement.requireWrite(client, thingId, before, path, entity, false, headers);
                if (command instanceof CreateThing) {
                    Thing created = twin.modify(thingId, JsonPointer.empty(), entity, WriteCondition.ifNoneMatchAny());
                    return new Outcome(HttpStatus.CREATED, visible(client, created));
                }
                boolean existed = before.map(t -> partOf(t, path).isPresent()).orElse(false);
                Thing after = twin.modify(thingId, path, entity, condition(headers));
                if (existed) {
                    return new Outcome(HttpStatus.NO_CONTENT, null);
                }
                return new Outcome(HttpStatus.CREATED, path.isEmpty() ? visible(client, after) : entity);
            }
            case DELETE:
                enforcement.requireWrite(client, thingId, twin.retrieve(thingId), path, null, false, headers);
                twin.delete(thingId, path, condition(headers));
                return new Outcome(HttpStatus.NO_CONTENT, null);
            default:
                throw new HubRefusalException(HubRefusalException.UNSUPPORTED, HttpStatus.NOT_IMPLEMENTED,
                        "The hub does not execute " + command.getType() + ".",
                        "Send a twin command that retrieves, modifies, merges or deletes a thing or a part of it.",
                        headers);
        }
    }

    private Outcome retrieve(ThingCommand<?> command, ApiClient client, ThingId thingId, JsonPointer path) {
        ThingNotAccessibleException notAccessible = ThingNotAccessibleException.newBuilder(thingId)
                .dittoHeaders(command.getDittoHeaders()).build();
        Thing thing = twin.retrieve(thingId).orElseThrow(() -> notAccessible);
        if (path.isEmpty()) {
            JsonFieldSelector fields = command instanceof RetrieveThing one ? one.getSelectedFields().orElse(null)
                    : null;
            // a thing the client may not see is answered exactly like one that does not exist
            return new Outcome(HttpStatus.OK, enforcement.view(client, thing, fields).orElseThrow(() -> notAccessible));
        }
        // a part the client may not read is answered exactly like a missing one
        JsonValue part = enforcement.seen(client, thing).orElseThrow(() -> notAccessible).getValue(path)
                .orElseThrow(() -> ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command)
                        .setDittoHeaders(command.getDittoHeaders()));
        return new Outcome(HttpStatus.OK, part);
    }

    /** What the client may read of a thing it wrote (at least its id). */
    private JsonObject visible(ApiClient client, Thing thing) {
        return enforcement.view(client, thing, null)
                .orElseGet(() -> JsonObject.newBuilder().set("thingId", thing.getEntityId().orElseThrow().toString())
                        .build());
    }

    private static Optional<JsonValue> partOf(Thing thing, JsonPointer path) {
        return thing.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial()).getValue(path);
    }

    private static JsonValue entity(ThingCommand<?> command) {
        if (command instanceof WithOptionalEntity withEntity) {
            Optional<JsonValue> entity = withEntity.getEntity(JsonSchemaVersion.V_2);
            if (entity.isPresent()) {
                return entity.get();
            }
        }
        throw new HubRefusalException(HubRefusalException.PROTOCOL_INVALID, HttpStatus.BAD_REQUEST,
                command.getType() + " has no value.", "Send the new value in the message's 'value'.",
                command.getDittoHeaders());
    }

    /** The write condition of Ditto's {@code if-match} / {@code if-none-match} headers ({@code *} or {@code "rev:N"}). */
    static WriteCondition condition(DittoHeaders headers) {
        Optional<EntityTagMatchers> ifNoneMatch = headers.getIfNoneMatch();
        if (ifNoneMatch.isPresent() && ifNoneMatch.get().stream().anyMatch(EntityTagMatcher::isAsterisk)) {
            return WriteCondition.ifNoneMatchAny();
        }
        Optional<EntityTagMatchers> ifMatch = headers.getIfMatch();
        if (ifMatch.isEmpty() || ifMatch.get().isEmpty()) {
            return WriteCondition.any();
        }
        EntityTagMatcher first = ifMatch.get().iterator().next();
        if (first.isAsterisk()) {
            return WriteCondition.ifMatchAny();
        }
        String tag = first.toString().replace("\"", "").replaceFirst("^W/", "");
        if (tag.startsWith("rev:")) {
            try {
                return WriteCondition.ifMatch(Long.parseLong(tag.substring(4)));
            } catch (IllegalArgumentException e) {
                // falls through to the refusal naming the header
            }
        }
        throw new HubRefusalException(HubRefusalException.PROTOCOL_INVALID, HttpStatus.BAD_REQUEST,
                "The if-match header " + ifMatch.get() + " is not one the hub can check.",
                "Send if-match: * or if-match: \"rev:<revision>\" with the revision the thing was read at.",
                headers);
    }
}
