/**
 * The hub's Camel routes as operators see them: each route's metadata (purpose, AVG legal basis, owner, description)
 * and its message counters, what each route reads and where it sends it ({@link nl.lantaarn.routing.api.RouteOutline},
 * since 1.3), and the actions routes parked until an operator confirms or rejects them.
 * <p>
 * Entry point: {@link nl.lantaarn.routing.api.RouteAdmin}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package nl.lantaarn.routing.api;
