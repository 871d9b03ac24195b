package nl.lantaarn.notify.internal;

/** Where the channel components put their channels; implemented by the notification service (this bundle only). */
interface ChannelRegistry {

    /**
     * Starts a channel under its name.
     *
     * @param configuredBy the configuration file or PID, for the error when the name is taken
     * @throws IllegalArgumentException when another configuration has the name already
     */
    Channel open(String name, String kind, Delivery delivery, ChannelSettings settings, String configuredBy);

    /** Replaces a channel after its configuration changed; the alerts it holds move to the new one. */
    Channel reopen(Channel old, String kind, Delivery delivery, ChannelSettings settings, String configuredBy);

    /**
     * DS's deactivation reason {@code ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED}: the channel's
     * configuration file was removed (other reasons: the bundle or the hub stops, a reference went away).
     */
    int CONFIGURATION_DELETED = 4;

    /** Stops a channel whose configuration was removed; the alerts it holds become dead letters. */
    void close(Channel channel);

    /**
     * Stops a channel whose configuration stays (the bundle or the hub stops): the alerts it holds stay in the outbox
     * and are sent when a channel of that name opens again.
     */
    void detach(Channel channel);

    /** For a channel component's deactivation with DS's reason code: {@link #close} or {@link #detach}. */
    default void deactivated(Channel channel, int reason) {
        if (reason == CONFIGURATION_DELETED) {
            close(channel);
        } else {
            detach(channel);
        }
    }

    /**
     * Applies a changed configuration to a channel: under a new name the channel is closed and another opened, else
     * it is reopened with the new delivery and settings.
     */
    default Channel update(Channel current, String name, String kind, Delivery delivery, ChannelSettings settings,
            String configuredBy) {
        if (!name.equals(current.name())) {
            close(current);
            return open(name, kind, delivery, settings, configuredBy);
        }
        return reopen(current, kind, delivery, settings, configuredBy);
    }
}
