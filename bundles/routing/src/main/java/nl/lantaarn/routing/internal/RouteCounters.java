package nl.lantaarn.routing.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Per-route message counters, kept by route id across reloads of the route's file. A {@link RoutePolicyFactory}, so
 * every route counts without anything in its YAML; counting is a few adder increments per message.
 */
final class RouteCounters implements RoutePolicyFactory {

    /** The counters of one route. */
    static final class Counters {
        final LongAdder in = new LongAdder();
        final LongAdder out = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder deadLettered = new LongAdder();
        /** Redelivery attempts made by the route's error handler, successful or not. */
        final LongAdder retried = new LongAdder();
        final LongAdder suppressed = new LongAdder();
        final LongAdder confirmed = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder expired = new LongAdder();

        @Override
        public String toString() {
            long retries = retried.sum();
            // retries only when there were some, so the health line stays short for routes without a redelivery policy
            String counts = "in " + in.sum() + ", out " + out.sum() + ", failed " + failed.sum()
                    + (retries == 0 ? "" : ", retried " + retries) + ", dead-lettered " + deadLettered.sum()
                    + ", suppressed " + suppressed.sum();
            long decided = confirmed.sum() + rejected.sum() + expired.sum();
            // likewise only routes that ask for confirmation show the decisions
            return decided == 0 ? counts : counts + ", confirmed " + confirmed.sum() + ", rejected " + rejected.sum()
                    + ", expired " + expired.sum();
        }
    }

    private final Map<String, Counters> byRoute = new ConcurrentHashMap<>();

    /** The counters of a route, created on first use. */
    Counters of(String routeId) {
        return byRoute.computeIfAbsent(String.valueOf(routeId), id -> new Counters());
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        Counters counters = of(routeId);
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                counters.in.increment();
            }

            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                // Camel's error handler numbers its redeliveries in this header and leaves it on the message
                Integer redeliveries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
                if (redeliveries != null && redeliveries > 0) {
                    counters.retried.add(redeliveries);
                }
                if (exchange.getException() != null) {
                    counters.failed.increment();
                } else if (exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT) != null
                        && (exchange.getExchangeExtension().isFailureHandled()
                                || exchange.getExchangeExtension().isErrorHandlerHandledSet()
                                        && exchange.getExchangeExtension().isErrorHandlerHandled())) {
                    // the route's error handler (e.g. a deadLetterChannel) took the failed message
                    counters.deadLettered.increment();
                } else {
                    counters.out.increment();
                }
            }
        };
    }
}
