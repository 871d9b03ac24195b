/**
 * The audit trail: one append-only, tamper-evident record of who did what with which data, and why. API access,
 * deliveries of personal data by routes, configuration changes, adapter installs and erasures all go here.
 * <p>
 * Entry points: {@link nl.lantaarn.audit.api.AuditTrail} to record, {@link nl.lantaarn.audit.api.AuditLog} to read.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.audit.api;
