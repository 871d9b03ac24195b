package nl.lantaarn.itests;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.RouteBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A RouteBuilder service as another bundle would register it, kept out of the test class so the test class has no
 * Camel types in its fields or signatures (it is also loaded outside the framework).
 */
final class JavaRoutes {

    private JavaRoutes() {
    }

    /** The thing ids the route saw, in order. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    /**
     * Registers a builder of one route: the twin events of {@code thingId} are recorded in {@link #SEEN}.
     *
     * @return unregisters the service
     */
    static AutoCloseable register(BundleContext context, String routeId, String thingId) {
        RouteBuilder builder = new RouteBuilder() {
            @Override
            public void configure() {
                from("hub:events?thing=" + thingId).routeId(routeId)
                        .description("records the events of " + thingId + " (integration test)")
                        .routeProperty("purpose", "integration test of RouteBuilder services")
                        .routeProperty("legalBasis", "PUBLIC_TASK")
                        .routeProperty("owner", "tests")
                        .process(exchange -> SEEN.add(exchange.getMessage().getHeader("LantaarnThingId", String.class)));
            }
        };
        Dictionary<String, Object> properties = new Hashtable<>();
        ServiceRegistration<RouteBuilder> registration = context.registerService(RouteBuilder.class, builder,
                properties);
        return registration::unregister;
    }
}
