/**
 * Personal data in the hub's stores: retention and the rights of data subjects (AVG articles 5(1)(e), 15, 17 and 20).
 * <p>
 * Every component that keeps data about things durably (the twin, the history, the dead letters, the outboxes of the
 * routes and the notification channels) registers a {@link nl.lantaarn.personaldata.api.PersonalDataStore}. The
 * privacy component ({@link nl.lantaarn.personaldata.api.PersonalDataRights}) runs the retention job over all of them
 * with the hub's {@link nl.lantaarn.personaldata.api.RetentionRules}, and erases or exports everything linked to a
 * {@link nl.lantaarn.personaldata.api.DataSubject} (a thing or a pseudonym) in all of them at once.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.personaldata.api;
