package nl.lantaarn.routing.internal;

import java.time.Duration;

import org.apache.camel.Producer;
import org.eclipse.ditto.json.JsonPointer;

/**
 * {@code hub:value?thing=&pointer=} (one value of one thing) or
 * {@code hub:value?zone=|sameZone=true&feature=&property=&aggregate=[&maxAge=&timeProperty=]} (an aggregate over a
 * zone): puts a value from the twin in a header; see {@link HubValueProducer}.
 */
final class HubValueEndpoint extends HubLookupEndpoint<HubValueEndpoint.Options> {

    static final String DEFAULT_HEADER = "LantaarnValue";

    enum Aggregate {
        MAX, MIN, SUM, COUNT, LATEST
    }

    /**
     * @param thing        the thing option, or {@code null} (the {@code LantaarnThingId} header)
     * @param pointer      the value's JSON pointer in the thing, or {@code null} for an aggregate
     * @param zone         the zone of an aggregate, or {@code null}
     * @param sameZone     the zone of the exchange's {@code LantaarnZone} header
     * @param feature      the feature whose property is aggregated
     * @param property     the property, relative to the feature's {@code properties}
     * @param maxAge       only values whose time property lies within this of now; {@code null}: every value
     * @param timeProperty the feature's time property (ISO-8601), relative to {@code properties}, or {@code null}
     */
    record Options(String thing, JsonPointer pointer, String zone, boolean sameZone, String feature,
            JsonPointer property, Aggregate aggregate, Duration maxAge, JsonPointer timeProperty, String header) {

        boolean single() {
            return pointer != null;
        }
    }

    HubValueEndpoint(String uri, HubComponent component, Options options) {
        super(uri, component, options, "it reads the twin");
    }

    @Override
    public Producer createProducer() {
        return new HubValueProducer(this);
    }
}
