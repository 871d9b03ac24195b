package nl.lantaarn.routing.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.twin.api.TwinService;

/**
 * Sets a header (default {@code LantaarnValue}) to a value from the twin as a Java value (Map, List, String,
 * Integer/Long/Double, Boolean) or {@code null}: one value of one thing at a JSON pointer, or an aggregate of one
 * property over the things of a zone that have the feature ({@code max}, {@code min}, {@code sum} over numbers;
 * {@code count} of the values; {@code latest}: the value with the newest time). With {@code maxAge} only values whose
 * time property lies within that duration before now count. No twin (or, for a zone, no search) service, an unknown
 * zone or an invalid thing id fails the exchange.
 */
final class HubValueProducer extends DefaultProducer {

    HubValueProducer(HubValueEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public HubValueEndpoint getEndpoint() {
        return (HubValueEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HubValueEndpoint.Options options = getEndpoint().options();
        HubServices services = getEndpoint().getComponent().services();
        TwinService twin = HubLookups.twin(services, "hub:value", exchange);
        Object value;
        if (options.single()) {
            ThingId id = HubLookups.thing(options.thing(), "hub:value", exchange);
            value = twin.retrieve(id).flatMap(thing -> thing.toJson().getValue(options.pointer()))
                    .map(JsonConversion::toJava).orElse(null);
        } else {
            value = aggregate(services, twin, options, exchange);
        }
        exchange.getMessage().setHeader(options.header(), value);
    }

    private static Object aggregate(HubServices services, TwinService twin, HubValueEndpoint.Options options,
            Exchange exchange) throws CamelExchangeException {
        ThingSearch search = HubLookups.search(services, "hub:value", exchange);
        // no zone (sameZone without one): no things, so count 0 and no value, as for an empty zone
        List<String> ids = HubLookups.thingIdsInZone(search, "hub:value", options.zone(),
                HubLookups.rql(null, options.feature()), ThingSearch.MAX_LIMIT, exchange);
        Instant oldest = options.maxAge() == null ? null : services.clock().instant().minus(options.maxAge());
        Accumulator result = new Accumulator(options.aggregate());
        for (String id : ids) {
            Optional<Thing> thing = twin.retrieve(ThingId.of(id));
            Optional<JsonObject> properties = thing.flatMap(Thing::getFeatures)
                    .flatMap(features -> features.getFeature(options.feature()))
                    .flatMap(Feature::getProperties).map(JsonObject.class::cast);
            if (properties.isEmpty()) {
                continue;
            }
            Optional<JsonValue> value = properties.get().getValue(options.property()).filter(v -> !v.isNull());
            if (value.isEmpty()) {
                continue;
            }
            Instant time = options.timeProperty() == null
                    ? thing.get().getModified().orElse(null)
                    : properties.get().getValue(options.timeProperty()).filter(JsonValue::isString)
                            .map(v -> instant(v.asString())).orElse(null);
            if (oldest != null && (time == null || time.isBefore(oldest))) {
                continue;
            }
            result.add(value.get(), time);
        }
        return result.result();
    }

    /** An ISO-8601 time with offset ({@code 2026-11-21T23:14:05Z}, {@code ...+01:00}), or {@code null}. */
    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Folds the values of the things into one. */
    private static final class Accumulator {
        private final HubValueEndpoint.Aggregate aggregate;
        private int count;
        private JsonValue best;
        private boolean integral = true;
        private long longSum;
        private double doubleSum;
        private int numbers;
        private Instant bestTime;

        Accumulator(HubValueEndpoint.Aggregate aggregate) {
            this.aggregate = aggregate;
        }

        void add(JsonValue value, Instant time) {
            count++;
            switch (aggregate) {
                case COUNT -> {
                    // counted above
                }
                case LATEST -> {
                    if (best == null || time != null && (bestTime == null || time.isAfter(bestTime))) {
                        best = value;
                        bestTime = time;
                    }
                }
                case MAX, MIN -> {
                    if (value.isNumber() && (best == null || (aggregate == HubValueEndpoint.Aggregate.MAX
                            ? value.asDouble() > best.asDouble() : value.asDouble() < best.asDouble()))) {
                        best = value;
                    }
                }
                case SUM -> {
                    if (value.isNumber()) {
                        numbers++;
                        doubleSum += value.asDouble();
                        if (integral && value.isLong()) {
                            try {
                                longSum = Math.addExact(longSum, value.asLong());
                            } catch (ArithmeticException e) {
                                integral = false;
                            }
                        } else {
                            integral = false;
                        }
                    }
                }
            }
        }

        Object result() {
            return switch (aggregate) {
                case COUNT -> count;
                case SUM -> numbers == 0 ? null : integral ? (Object) longSum : (Object) doubleSum;
                default -> best == null ? null : JsonConversion.toJava(best);
            };
        }
    }
}
