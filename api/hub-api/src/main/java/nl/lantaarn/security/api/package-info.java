/**
 * Who is calling and what they may do: authentication of API clients and their {@link nl.lantaarn.security.api.Role
 * roles}, shared by every bundle that serves HTTP (the API, the ingest endpoints of adapter bundles).
 * <p>
 * Entry points: {@link nl.lantaarn.security.api.Authenticator} (who is calling), {@link nl.lantaarn.security.api.ThingAccess}
 * (what of a thing they may read and write).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package nl.lantaarn.security.api;
