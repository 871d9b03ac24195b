/**
 * Dead letters: every payload the hub could not process, kept with the reason, so that nothing is dropped silently.
 * <p>
 * Entry point: {@link nl.lantaarn.deadletter.api.DeadLetterService}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package nl.lantaarn.deadletter.api;
