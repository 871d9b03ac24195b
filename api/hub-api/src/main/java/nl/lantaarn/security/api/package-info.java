/**
 * Who is calling: authentication of API clients, shared by every bundle that serves HTTP (the API, the ingest
 * endpoints of adapter bundles).
 * <p>
 * Entry point: {@link nl.lantaarn.security.api.Authenticator}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.security.api;
