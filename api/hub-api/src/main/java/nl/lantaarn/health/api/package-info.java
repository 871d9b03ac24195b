/**
 * Health of the hub's components, as reported at {@code /api/v1/health}.
 * <p>
 * Entry point: {@link nl.lantaarn.health.api.HealthContributor} (whiteboard).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.health.api;
