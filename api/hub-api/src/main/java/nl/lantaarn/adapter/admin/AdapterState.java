package nl.lantaarn.adapter.admin;

/** The state of one adapter instance. */
public enum AdapterState {
    /** Configured; its adapter bundle is not (or not yet again) present. Payloads are kept in its inbox meanwhile. */
    WAITING,
    /** Mapping payloads normally. */
    RUNNING,
    /** Running, but something is wrong: the mapping throws, is slow or stuck, or the inbox is filling up. */
    DEGRADED,
    /** Not running because of its configuration or a failure to start; the reason says which. */
    FAILED,
    /** Stopped by an operator; payloads that arrive are dead-lettered with that reason. */
    STOPPED
}
