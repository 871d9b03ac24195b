/**
 * The hub's Camel routing; private to the bundle.
 * <p>
 * Entry point: {@link nl.lantaarn.routing.internal.RoutingComponent} (DS) runs a
 * {@link nl.lantaarn.routing.internal.RoutingRuntime}: the Camel context with the {@code hub} and {@code mqtt}
 * components and the route files of the routes folder ({@link nl.lantaarn.routing.internal.RouteFiles}).
 */
package nl.lantaarn.routing.internal;
