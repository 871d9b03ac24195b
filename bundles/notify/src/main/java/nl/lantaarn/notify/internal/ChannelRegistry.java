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
}
