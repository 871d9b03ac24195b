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

    /** Stops a channel whose configuration was removed; the alerts it holds become dead letters. */
    void close(Channel channel);

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
