package nl.lantaarn.routing.internal;

/** Headers the {@code hub:events} consumer sets on every exchange. */
final class HubHeaders {

    /** The thing id, e.g. {@code nl.eindhoven.safety:stratumseind-12}. */
    static final String THING_ID = "LantaarnThingId";
    /** The thing id's namespace, e.g. {@code nl.eindhoven.safety}. */
    static final String NAMESPACE = "LantaarnNamespace";
    /** The namespace's last segment, e.g. {@code safety}; absent when the namespace does not follow the convention. */
    static final String DOMAIN = "LantaarnDomain";
    /** The thing's revision after the change (a {@code Long}). */
    static final String REVISION = "LantaarnRevision";
    /** The Ditto event name: {@code thingCreated}, {@code thingMerged}, ... */
    static final String EVENT_TYPE = "LantaarnEventType";
    /**
     * The thing's zone: {@code attributes/zone}, else the first (sorted) zone of the zones folder containing its
     * location; absent when neither gives one. Also set as {@code zone}, which {@code hub:alert} reads.
     */
    static final String ZONE = "LantaarnZone";

    private HubHeaders() {
        throw new AssertionError("no instances");
    }
}
