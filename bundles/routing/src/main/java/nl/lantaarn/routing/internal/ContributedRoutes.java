package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.PropertyDefinition;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes other bundles contribute as {@link RouteBuilder} services (whiteboard), next to the route files: each
 * builder is checked as a whole before any of its routes is added (every route has an id, a description and the
 * route properties purpose, legalBasis and owner; no id is taken by a route file or another builder), so a builder
 * either runs completely or is refused with a WARN naming the bundle, the route and what is wrong.
 * <p>
 * Changes are made under the lock of the {@link RouteFiles} instance, so a folder scan and a builder never add the same
 * route id at the same time.
 */
final class ContributedRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ContributedRoutes.class);

    /** A builder whose routes run. */
    private record Contribution(String source, List<String> routeIds,
            Map<String, RouteMetadata.Metadata> metadata) {
    }

    private final CamelContext context;
    private final RouteFiles files;
    /** By the caller's key (the service id). Guarded by {@link #files}. */
    private final Map<Object, Contribution> loaded = new LinkedHashMap<>();
    /** By the caller's key. Guarded by {@link #files}. */
    private final Map<Object, RouteFileError> refused = new LinkedHashMap<>();

    ContributedRoutes(CamelContext context, RouteFiles files) {
        this.context = context;
        this.files = files;
        files.otherOwner(this::ownerOf);
    }

    /** What names a bundle's routes in route lists and messages: {@code bundle:<symbolic name>}. */
    static String source(String bundleSymbolicName) {
        return "bundle:" + bundleSymbolicName;
    }

    /**
     * Checks the builder's routes and adds them to the context.
     *
     * @param key    identifies the builder for {@link #remove(Object)}, e.g. the service id
     * @param source who contributes it, e.g. {@code bundle:nl.example.routes}
     * @return whether its routes run; when not, the WARN and the health report say why
     */
    boolean add(Object key, String source, RoutesBuilder builder) {
        synchronized (files) {
            remove(key);
            try {
                Contribution contribution = load(source, builder);
                loaded.put(key, contribution);
                LOG.info("Routes {} of {} added", contribution.routeIds(), source);
                return true;
            } catch (Refused e) {
                RouteFileError error = new RouteFileError(source, 0, e.getMessage());
                refused.put(key, error);
                LOG.warn("RouteBuilder service of {} refused: {}. None of its routes run; fix the builder and "
                        + "register it again", source, e.getMessage());
                return false;
            }
        }
    }

    /** Stops and removes the builder's routes (its service went away); nothing happens for an unknown key. */
    void remove(Object key) {
        synchronized (files) {
            refused.remove(key);
            Contribution contribution = loaded.remove(key);
            if (contribution == null) {
                return;
            }
            for (String id : contribution.routeIds()) {
                try {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                } catch (Exception e) {
                    LOG.warn("Route {} of {} could not be stopped and removed: {}", id, contribution.source(),
                            e.toString());
                }
            }
            LOG.info("Routes {} of {} stopped and removed: its RouteBuilder service went away",
                    contribution.routeIds(), contribution.source());
        }
    }

    private Contribution load(String source, RoutesBuilder builder) throws Refused {
        if (!(builder instanceof RouteBuilder routeBuilder)) {
            throw new Refused(builder.getClass().getName() + " is not an org.apache.camel.builder.RouteBuilder: only "
                    + "a RouteBuilder's routes can be checked for their metadata before they start; extend "
                    + "RouteBuilder");
        }
        List<RouteDefinition> definitions;
        try {
            definitions = routeBuilder.configureRoutes(context).getRoutes();
        } catch (Exception e) {
            throw new Refused("its configure() failed: " + e);
        }
        Map<String, RouteMetadata.Metadata> metadata = new LinkedHashMap<>();
        Set<String> own = new HashSet<>();
        for (RouteDefinition definition : definitions) {
            String id = definition.getRouteId();
            if (id == null || id.isBlank()) {
                throw new Refused("the route from " + definition.getInput() + " has no id; give every route "
                        + ".routeId(\"...\")");
            }
            if (!own.add(id)) {
                throw new Refused("route id '" + id + "' is used twice in this builder; route ids must be unique");
            }
            String file = files.fileOf(id);
            if (file != null) {
                throw new Refused("route id '" + id + "' is already used by route file " + file + "; route ids must "
                        + "be unique across the routes folder and the routes bundles contribute");
            }
            String other = ownerOf(id);
            if (other != null) {
                throw new Refused("route id '" + id + "' is already used by " + other + "; route ids must be unique "
                        + "across the routes folder and the routes bundles contribute");
            }
            if (context.getRoute(id) != null) {
                throw new Refused("route id '" + id + "' is already used by a route of the hub; choose another id");
            }
            Map<String, String> properties = new LinkedHashMap<>();
            if (definition.getRouteProperties() != null) {
                for (PropertyDefinition property : definition.getRouteProperties()) {
                    properties.put(property.getKey(), property.getValue());
                }
            }
            try {
                metadata.put(id, RouteMetadata.check(definition.getDescription(), properties));
            } catch (RouteMetadata.MetadataException e) {
                throw new Refused("route '" + id + "' has no valid metadata: " + e.getMessage());
            }
        }
        Set<String> before = runningRouteIds();
        try {
            context.addRoutes(builder);
        } catch (Exception e) {
            Set<String> added = runningRouteIds();
            added.removeAll(before);
            for (String id : added) {
                try {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                } catch (Exception removal) {
                    LOG.debug("Route {} of refused {} could not be removed", id, source, removal);
                }
            }
            try {
                context.getCamelContextExtension().getContextPlugin(Model.class).removeRouteDefinitions(definitions);
            } catch (Exception removal) {
                LOG.debug("Route definitions of refused {} could not be removed", source, removal);
            }
            throw new Refused("its routes could not be started: "
                    + RouteFiles.error(source, e, definitions).reason());
        }
        return new Contribution(source, List.copyOf(metadata.keySet()), Map.copyOf(metadata));
    }

    private Set<String> runningRouteIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Route route : context.getRoutes()) {
            ids.add(route.getRouteId());
        }
        return ids;
    }

    /** The contribution that runs a route id, e.g. {@code bundle:nl.example.routes}, or {@code null}. */
    String ownerOf(String routeId) {
        synchronized (files) {
            for (Contribution contribution : loaded.values()) {
                if (contribution.routeIds().contains(routeId)) {
                    return contribution.source();
                }
            }
            return null;
        }
    }

    /** The metadata of every route builders contribute, with their source, by route id. */
    Map<String, RouteFiles.Loaded> loadedRoutes() {
        synchronized (files) {
            Map<String, RouteFiles.Loaded> result = new TreeMap<>();
            for (Contribution contribution : loaded.values()) {
                contribution.metadata().forEach((id, m) -> result.put(id, new RouteFiles.Loaded(contribution.source(),
                        m)));
            }
            return result;
        }
    }

    /** For the health report. */
    record Summary(int builders, int loaded, List<RouteFileError> refused) {
    }

    Summary summary() {
        synchronized (files) {
            return new Summary(loaded.size() + refused.size(), loaded.size(), new ArrayList<>(refused.values()));
        }
    }

    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
