/**
 * Who is calling and what they may do: authentication of API clients and their {@link nl.lantaarn.security.api.Role
 * roles}, shared by every bundle that serves HTTP (the API, the ingest endpoints of adapter bundles).
 * <p>
 * Entry point: {@link nl.lantaarn.security.api.Authenticator}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package nl.lantaarn.security.api;
