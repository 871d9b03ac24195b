package nl.lantaarn.privacy.retention.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;

import nl.lantaarn.twin.api.TwinEvent;

/**
 * When each feature of each thing was last written, from the twin's events, for the twin's retention. Kept in memory:
 * after a restart a feature counts as written at its thing's last modification, which is never earlier than its real
 * last write, so nothing expires early.
 */
final class FeatureClock {

    private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();

    /** On the twin's listener thread: one map write per feature the event touches. */
    void onEvent(TwinEvent event) {
        ThingEvent<?> dittoEvent = event.event();
        String thingId = event.thingId().toString();
        if (event.isThingDeleted()) {
            lastWrite.keySet().removeIf(key -> key.startsWith(thingId + '\u0000'));
            return;
        }
        Instant at = dittoEvent.getTimestamp().or(() -> event.thing().getModified()).orElseGet(Instant::now);
        JsonPointer path = dittoEvent.getResourcePath();
        if (path.getLevelCount() >= 2 && path.get(0).map(Object::toString).orElse("").equals("features")) {
            path.get(1).ifPresent(feature -> lastWrite.put(key(thingId, feature.toString()), at));
            return;
        }
        if (dittoEvent instanceof ThingMerged merged && path.getLevelCount() <= 1) {
            JsonValue value = merged.getValue();
            JsonValue features = path.isEmpty()
                    ? (value.isObject() ? value.asObject().getValue("features").orElse(null) : null) : value;
            if (path.isEmpty() || path.get(0).map(Object::toString).orElse("").equals("features")) {
                if (features != null && features.isObject()) {
                    features.asObject().forEach(f -> lastWrite.put(key(thingId, f.getKeyName()), at));
                }
            }
            return;
        }
        if (path.isEmpty() || path.get(0).map(Object::toString).orElse("").equals("features")) {
            // the whole thing or all features were written
            event.thing().getFeatures().ifPresent(all -> all.forEach(f -> lastWrite.put(key(thingId, f.getId()), at)));
        }
    }

    /** The last write of the feature, or the thing's last modification when none was seen. */
    Instant lastWrite(Thing thing, String featureId) {
        Instant seen = lastWrite.get(key(thing.getEntityId().map(Object::toString).orElse(""), featureId));
        return seen != null ? seen : thing.getModified().orElse(null);
    }

    private static String key(String thingId, String featureId) {
        return thingId + '\u0000' + featureId;
    }
}
