package nl.lantaarn.ditto.api.internal;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.base.model.signals.WithFeatureId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeatureDefinitionNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.FeatureNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingCommandToAccessExceptionRegistry;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingDefinitionNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingConflictException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingPreconditionFailedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingUnavailableException;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;

import nl.lantaarn.twin.api.TwinConflictException;
import nl.lantaarn.twin.api.TwinNotFoundException;
import nl.lantaarn.twin.api.TwinStoreException;

/** Turns what the twin throws into the Ditto exception a Ditto client expects for that command. */
final class DittoErrors {

    private DittoErrors() {
    }

    /**
     * The Ditto exception for a failed command.
     *
     * @param command the command, or {@code null} when the failure came before one was read
     */
    static DittoRuntimeException of(Throwable failure, ThingCommand<?> command, DittoHeaders headers) {
        if (failure instanceof DittoRuntimeException dre) {
            return dre.setDittoHeaders(headers);
        }
        if (failure instanceof JsonRuntimeException json) {
            return new DittoJsonException(json, headers);
        }
        if (failure instanceof TwinNotFoundException notFound) {
            if (notFound.errorCode().equals(TwinNotFoundException.THING_NOT_FOUND) || command == null) {
                return ThingNotAccessibleException.newBuilder(notFound.thingId()).dittoHeaders(headers).build();
            }
            try {
                return ThingCommandToAccessExceptionRegistry.getInstance().exceptionFrom(command)
                        .setDittoHeaders(headers);
            } catch (IllegalArgumentException unmapped) {
                // Ditto's registry has no entry for a few deletions (e.g. DeleteFeatureDefinition)
                return notFound(command, headers);
            }
        }
        if (failure instanceof TwinConflictException conflict) {
            if (command instanceof CreateThing) {
                return ThingConflictException.newBuilder(conflict.thingId())
                        .description("Choose another thing id, or send ModifyThing to replace the existing thing.")
                        .dittoHeaders(headers).build();
            }
            return ThingPreconditionFailedException
                    .newBuilder(conflict.condition().toString(), conflict.condition().toString(),
                            conflict.currentRevision().isPresent()
                                    ? "\"rev:" + conflict.currentRevision().getAsLong() + "\"" : "none")
                    .message(conflict.getMessage())
                    .description(conflict.description())
                    .dittoHeaders(headers).build();
        }
        if (failure instanceof TwinStoreException store) {
            return ThingUnavailableException.newBuilder(store.thingId())
                    .message("The twin store cannot keep the change: nothing was changed.")
                    .description("Retry later; the hub's operator has been told in the hub's log.")
                    .dittoHeaders(headers).build();
        }
        if (failure instanceof IllegalArgumentException invalid) {
            return new HubRefusalException(HubRefusalException.MODEL_INVALID, HttpStatus.BAD_REQUEST,
                    invalid.getMessage(),
                    "Change the value so that it follows the hub's model conventions (thing id "
                            + "<country>.<municipality>.<domain>:<name>, attributes/location a GeoJSON Point, ...).",
                    headers);
        }
        return new HubRefusalException(HubRefusalException.INTERNAL, HttpStatus.INTERNAL_SERVER_ERROR,
                "The hub failed to handle the request: " + failure.getClass().getSimpleName(),
                "Retry; if it fails again, ask the hub's operator to look for this correlation id in the hub's log.",
                headers);
    }

    /** The Ditto "not found" error of the part a command addresses. */
    private static DittoRuntimeException notFound(ThingCommand<?> command, DittoHeaders headers) {
        ThingId thingId = command.getEntityId();
        if (command instanceof WithFeatureId feature) {
            return command.getResourcePath().toString().endsWith("/definition")
                    ? FeatureDefinitionNotAccessibleException.newBuilder(thingId, feature.getFeatureId())
                            .dittoHeaders(headers).build()
                    : FeatureNotAccessibleException.newBuilder(thingId, feature.getFeatureId())
                            .dittoHeaders(headers).build();
        }
        if (command.getResourcePath().toString().equals("/definition")) {
            return ThingDefinitionNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build();
        }
        return ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build();
    }
}
