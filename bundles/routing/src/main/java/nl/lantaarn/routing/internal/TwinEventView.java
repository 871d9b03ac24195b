package nl.lantaarn.routing.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Message;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.FeatureDefinition;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingCreated;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;
import org.eclipse.ditto.things.model.signals.events.ThingMerged;

import nl.lantaarn.things.model.HubConventions;
import nl.lantaarn.twin.api.TwinEvent;

/**
 * What the {@code hub:events} filters look at, computed once per twin event however many routes consume it. The zone
 * is worked out only when a route asks for it (a {@code zone} filter, or the zone headers of a delivered event), then
 * kept for the other routes.
 */
final class TwinEventView {

    private static final String FEATURES = "features";
    private static final JsonPointer ZONE_ATTRIBUTE = JsonPointer.of(HubConventions.ZONE);
    /** Marks a lazily computed field not computed yet. */
    private static final Object UNSET = new Object();

    private final TwinEvent event;
    private final String thingId;
    private final String namespace;
    private final String domain;
    private final Set<String> touchedFeatures;
    private final ZoneLookup zoneLookup;
    private JsonObject thingJson;
    private OutboxEvent outboxEvent;
    // computed at most once or twice (a benign race: both give the same answer), read by several route threads
    private volatile Object attributeZone = UNSET;
    private volatile List<String> locationZones;

    private TwinEventView(TwinEvent event, ZoneLookup zoneLookup) {
        this.event = event;
        this.zoneLookup = zoneLookup;
        ThingId id = event.thingId();
        this.thingId = id.toString();
        this.namespace = id.getNamespace();
        this.domain = HubConventions.domainOf(id).orElse(null);
        this.touchedFeatures = touchedFeatures(event.event());
    }

    /** Without zones of the zones folder: the zone is {@code attributes/zone} only. */
    static TwinEventView of(TwinEvent event) {
        return new TwinEventView(event, null);
    }

    /** The zone is {@code attributes/zone}, else the first zone of the zones folder containing the location. */
    static TwinEventView of(TwinEvent event, ZoneLookup zoneLookup) {
        return new TwinEventView(event, zoneLookup);
    }

    TwinEvent event() {
        return event;
    }

    String thingId() {
        return thingId;
    }

    String namespace() {
        return namespace;
    }

    /** The domain, or {@code null} when the namespace does not follow the hub's convention. */
    String domain() {
        return domain;
    }

    long revision() {
        return event.revision();
    }

    String eventType() {
        return event.event().getName();
    }

    /** Ids of the features the change wrote to (created, merged into or removed). */
    Set<String> touchedFeatures() {
        return touchedFeatures;
    }

    /** Whether the change touched a feature that has the given name (when not {@code null}) and definition (same). */
    boolean touches(String feature, String definition) {
        if (feature != null && !touchedFeatures.contains(feature)) {
            return false;
        }
        if (definition == null) {
            return feature == null || touchedFeatures.contains(feature);
        }
        if (feature != null) {
            return hasDefinition(feature, definition);
        }
        for (String touched : touchedFeatures) {
            if (hasDefinition(touched, definition)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The thing's zone: {@code attributes/zone} when it is a string, else the first (by id) zone of the zones folder
     * containing {@code attributes/location}; {@code null} when neither gives one.
     */
    String zone() {
        String attribute = attributeZone();
        if (attribute != null) {
            return attribute;
        }
        List<String> zones = locationZones();
        return zones.isEmpty() ? null : zones.get(0);
    }

    /** Whether {@code attributes/zone} names the zone or the location lies in it. */
    boolean inZone(String zoneId) {
        return zoneId.equals(attributeZone()) || locationZones().contains(zoneId);
    }

    /** Sets {@code LantaarnZone} and {@code zone} to {@link #zone()} when there is one. */
    void setZoneHeaders(Message message) {
        String zone = zone();
        if (zone != null) {
            message.setHeader(HubHeaders.ZONE, zone);
            message.setHeader(HubAlertProducer.ZONE_HEADER, zone);
        }
    }

    private String attributeZone() {
        Object known = attributeZone;
        if (known == UNSET) {
            known = event.thing().getAttributes().flatMap(attributes -> attributes.getValue(ZONE_ATTRIBUTE))
                    .filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
            attributeZone = known;
        }
        return (String) known;
    }

    /** The zones of the folder containing the location, sorted; empty without location or search service. */
    private List<String> locationZones() {
        List<String> known = locationZones;
        if (known == null) {
            known = zoneLookup == null ? List.of()
                    : HubCommandProducer.lonLat(event.thing())
                            .map(point -> zoneLookup.zonesAt(thingId, point[0], point[1]))
                            .orElse(List.of());
            locationZones = known;
        }
        return known;
    }

    /** The thing after the change as Ditto JSON (regular fields), computed on first use. */
    synchronized JsonObject thingJson() {
        if (thingJson == null) {
            thingJson = event.thing().toJson();
        }
        return thingJson;
    }

    /** The event as the routes' outboxes keep it; made once, for the first route that takes the event. */
    synchronized OutboxEvent outboxEvent() {
        if (outboxEvent == null) {
            outboxEvent = OutboxEvent.create(this);
        }
        return outboxEvent;
    }

    private boolean hasDefinition(String featureId, String wanted) {
        Optional<FeatureDefinition> definition = event.thing().getFeatures()
                .flatMap(features -> features.getFeature(featureId))
                .flatMap(Feature::getDefinition);
        if (definition.isEmpty()) {
            return false;
        }
        // "namespace:name" without a version matches every version of that definition
        boolean versionless = wanted.indexOf(':') == wanted.lastIndexOf(':');
        for (var identifier : definition.get()) {
            String id = identifier.toString();
            if (id.equals(wanted)) {
                return true;
            }
            if (versionless && id.startsWith(wanted) && id.length() > wanted.length()
                    && id.charAt(wanted.length()) == ':') {
                return true;
            }
        }
        return false;
    }

    private static Set<String> touchedFeatures(ThingEvent<?> event) {
        if (event instanceof ThingCreated created) {
            return featureKeys(created.getThing());
        }
        JsonPointer path = event.getResourcePath();
        Optional<JsonValue> value = event instanceof ThingMerged merged
                ? Optional.of(merged.getValue())
                : event.getEntity();
        return touchedFeatures(path, value.orElse(null));
    }

    private static Set<String> featureKeys(Thing thing) {
        return thing.getFeatures()
                .map(features -> {
                    Set<String> ids = new LinkedHashSet<>();
                    features.forEach(feature -> ids.add(feature.getId()));
                    return Collections.unmodifiableSet(ids);
                })
                .orElse(Set.of());
    }

    /** Features written by a change of {@code value} at {@code path} (relative to the thing). */
    static Set<String> touchedFeatures(JsonPointer path, JsonValue value) {
        int levels = path.getLevelCount();
        if (levels >= 2 && FEATURES.equals(path.get(0).map(Object::toString).orElse(""))) {
            return Set.of(path.get(1).map(Object::toString).orElseThrow());
        }
        JsonValue features;
        if (levels == 1 && FEATURES.equals(path.get(0).map(Object::toString).orElse(""))) {
            features = value;
        } else if (levels == 0 && value != null && value.isObject()) {
            features = value.asObject().getValue(FEATURES).orElse(null);
        } else {
            return Set.of();
        }
        if (features == null || !features.isObject()) {
            return Set.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        features.asObject().getKeys().forEach(key -> ids.add(key.toString()));
        return Collections.unmodifiableSet(ids);
    }

    @Override
    public String toString() {
        return event.toString();
    }
}
