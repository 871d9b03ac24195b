/**
 * Privacy services the hub offers to adapters and other bundles.
 * <p>
 * Entry points: {@link nl.lantaarn.privacy.api.Pseudonyms} (keyed pseudonyms of identifiers that must be kept, such
 * as a licence plate or a reporter's e-mail address, one key per purpose, rotated per period) and
 * {@link nl.lantaarn.privacy.api.Purposes} (the hub's vocabulary of purpose ids, which privacy manifests, API clients
 * and routes name).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.privacy.api;
