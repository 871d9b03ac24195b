package nl.lantaarn.routing.api;

import java.util.Objects;

/**
 * One route and its counters, a snapshot. Counters count since the routing component started (a reload of the
 * route's file keeps them).
 *
 * @param id           the route id, e.g. {@code noise-alerts}
 * @param file         the route file it came from, e.g. {@code noise-alerts.yaml}
 * @param state        Camel's state of the route: {@code Started}, {@code Stopped}, ...
 * @param description  what the route does, for people
 * @param purpose      why the route processes the data
 * @param legalBasis   the AVG article 6(1) ground, as named by
 *                     {@code nl.lantaarn.adapter.api.PrivacyManifest.LegalGround}, e.g. {@code PUBLIC_TASK}
 * @param owner        who is responsible for the route
 * @param in           messages that entered the route
 * @param out          messages that completed the route without an error
 * @param failed       messages that ended with an error the route did not handle
 * @param deadLettered messages recorded as dead letters: by the route's dead-letter channel, or twin events the
 *                     route could not take or process
 * @param suppressed   alerts not sent again because the same alert was sent within the de-duplication window
 * @param confirmed    actions this route parked ({@code hub:confirm}) that an operator confirmed
 * @param rejected     actions this route parked that an operator rejected
 * @param expired      actions this route parked that nobody decided on in time (rejected with reason
 *                     {@code expired})
 * @param retried      redelivery attempts of the route's error handler (its {@code redeliveryPolicy}), whether the
 *                     message then got through or not; since 1.2
 */
public record RouteStatus(String id, String file, String state, String description, String purpose,
        String legalBasis, String owner, long in, long out, long failed, long deadLettered, long suppressed,
        long confirmed, long rejected, long expired, long retried) {

    public RouteStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
    }

    /** Without the redelivery counter (0), as in version 1.1 of this package. */
    public RouteStatus(String id, String file, String state, String description, String purpose, String legalBasis,
            String owner, long in, long out, long failed, long deadLettered, long suppressed, long confirmed,
            long rejected, long expired) {
        this(id, file, state, description, purpose, legalBasis, owner, in, out, failed, deadLettered, suppressed,
                confirmed, rejected, expired, 0);
    }

    /** Without confirmation counters (all 0), as in version 1.0 of this package. */
    public RouteStatus(String id, String file, String state, String description, String purpose, String legalBasis,
            String owner, long in, long out, long failed, long deadLettered, long suppressed) {
        this(id, file, state, description, purpose, legalBasis, owner, in, out, failed, deadLettered, suppressed,
                0, 0, 0, 0);
    }
}
