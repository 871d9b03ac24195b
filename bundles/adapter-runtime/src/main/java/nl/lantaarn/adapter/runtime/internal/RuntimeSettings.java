package nl.lantaarn.adapter.runtime.internal;

import java.time.Duration;

/**
 * The runtime's settings (PID {@code nl.lantaarn.adapter.runtime}).
 *
 * @param inboxCapacity   payloads queued per instance; applies to instances made after a change
 * @param maxPayloadBytes larger payloads are dead-lettered before they are queued or parsed
 * @param stuckAfter      a map call running longer marks its instance DEGRADED
 * @param upgradeGrace    how long an instance keeps its transport and inbox after its adapter type went away
 * @param commandTimeout  how long a command sent to a vendor waits for its acknowledgement before it is sent again
 * @param commandRetries  how often a command is sent again before it is reported failed
 * @param quarantineUnregistered whether updates of things that are not in the sensor register become dead letters
 * @param inboxWait       how long an MQTT message waits for room in a full inbox (holding up the MQTT intake: back-
 *                        pressure) before it becomes a dead letter; zero: at once
 */
record RuntimeSettings(int inboxCapacity, int maxPayloadBytes, Duration stuckAfter, Duration upgradeGrace,
        Duration commandTimeout, int commandRetries, boolean quarantineUnregistered, Duration inboxWait) {

    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_COMMAND_RETRIES = 2;

    static final RuntimeSettings DEFAULTS = new RuntimeSettings(10_000, 256 * 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(30));

    RuntimeSettings {
        if (inboxCapacity < 1) {
            throw new IllegalArgumentException("inboxCapacity must be at least 1, was " + inboxCapacity);
        }
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 1, was " + maxPayloadBytes);
        }
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("stuckAfterSeconds must be at least 1, was " + stuckAfter.toSeconds());
        }
        if (upgradeGrace.isNegative()) {
            throw new IllegalArgumentException("upgradeGraceSeconds must be 0 or more, was "
                    + upgradeGrace.toSeconds());
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeoutSeconds must be at least 1, was "
                    + commandTimeout.toSeconds());
        }
        if (commandRetries < 0) {
            throw new IllegalArgumentException("commandRetries must be 0 or more, was " + commandRetries);
        }
        if (inboxWait.isNegative()) {
            throw new IllegalArgumentException("inboxWaitSeconds must be 0 or more, was " + inboxWait.toSeconds());
        }
    }

    /** Without waiting for room in a full inbox. */
    RuntimeSettings(int inboxCapacity, int maxPayloadBytes, Duration stuckAfter, Duration upgradeGrace,
            Duration commandTimeout, int commandRetries, boolean quarantineUnregistered) {
        this(inboxCapacity, maxPayloadBytes, stuckAfter, upgradeGrace, commandTimeout, commandRetries,
                quarantineUnregistered, Duration.ZERO);
    }

    /** Without the register quarantine. */
    RuntimeSettings(int inboxCapacity, int maxPayloadBytes, Duration stuckAfter, Duration upgradeGrace,
            Duration commandTimeout, int commandRetries) {
        this(inboxCapacity, maxPayloadBytes, stuckAfter, upgradeGrace, commandTimeout, commandRetries, false);
    }

    /** With the default command timeout and retries. */
    RuntimeSettings(int inboxCapacity, int maxPayloadBytes, Duration stuckAfter, Duration upgradeGrace) {
        this(inboxCapacity, maxPayloadBytes, stuckAfter, upgradeGrace, DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_COMMAND_RETRIES);
    }
}
