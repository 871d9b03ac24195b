/**
 * Twin search for other bundles: thing ids by a Ditto RQL filter (including the hub's geo and zone functions) and the
 * zones of the {@code zones/} folder. Routes use it to target and enrich (the lamps in a zone, the things within N
 * metres). Results are eventually consistent with the twin: a search right after a write may not see it yet.
 * <p>
 * Entry point: {@link nl.lantaarn.search.api.ThingSearch}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.search.api;
