package nl.lantaarn.notify.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Delivers alerts over the configured channels. Thread safe; never blocks the caller on a target. */
@ProviderType
public interface NotificationService {

    /**
     * Queues the alert on each named channel and returns at once. An alert that a channel cannot deliver after its
     * retries becomes a dead letter with the reason; a full channel queue does too. Nothing is dropped silently.
     *
     * @throws UnknownChannelException when a channel name is not configured (before anything is queued)
     */
    void send(Alert alert, List<String> channels);

    /** The configured channels, sorted by name. */
    List<ChannelStatus> channels();
}
