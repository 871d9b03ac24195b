package nl.lantaarn.notify.internal;

import java.util.Map;
import java.util.function.Function;

/**
 * The life of the channel of one channel component's configuration, the same for webhook, MQTT and SMTP: open it at
 * activation, apply a changed configuration, stop it at deactivation. A component gives only what is specific to its
 * kind: how its typed configuration becomes a {@link Delivery} and {@link ChannelSettings}.
 * <p>
 * Called by DS one call at a time per component, so {@link #channel} needs no lock.
 *
 * @param <C> the component's configuration type
 */
final class ConfiguredChannel<C> {

    private final ChannelRegistry registry;
    private final String factoryPid;
    private final String kind;
    private final Function<C, Delivery> delivery;
    private final Function<C, ChannelSettings> settings;
    private Channel channel;

    /**
     * @param delivery the kind's delivery of a configuration; throws {@link IllegalArgumentException} naming the field
     * @param settings the settings of a configuration; likewise
     */
    ConfiguredChannel(ChannelRegistry registry, String factoryPid, String kind, Function<C, Delivery> delivery,
            Function<C, ChannelSettings> settings) {
        this.registry = registry;
        this.factoryPid = factoryPid;
        this.kind = kind;
        this.delivery = delivery;
        this.settings = settings;
    }

    /**
     * Opens the channel of a new configuration (the component's activation).
     *
     * @throws IllegalArgumentException naming the field and the configuration file, when the configuration is wrong
     */
    void open(C config, Map<String, Object> properties) {
        String name = ChannelNames.of(factoryPid, properties);
        String origin = ChannelNames.origin(properties);
        // settings first: a wrong setting then builds no delivery (an HTTP client) to throw away
        ChannelSettings channelSettings = read(settings, config, origin);
        channel = registry.open(name, kind, read(delivery, config, origin), channelSettings, origin);
    }

    /**
     * Applies a changed configuration; a wrong one leaves the channel as it was.
     *
     * @throws IllegalArgumentException naming the field and the configuration file, when the configuration is wrong
     */
    void modified(C config, Map<String, Object> properties) {
        String name = ChannelNames.of(factoryPid, properties);
        String origin = ChannelNames.origin(properties);
        ChannelSettings channelSettings = read(settings, config, origin);
        channel = registry.update(channel, name, kind, read(delivery, config, origin), channelSettings, origin);
    }

    /** DS's deactivation reason decides: a removed file dead-letters the waiting alerts, a stop keeps them. */
    void deactivated(int reason) {
        registry.deactivated(channel, reason);
    }

    private static <C, T> T read(Function<C, T> part, C config, String origin) {
        try {
            return part.apply(config);
        } catch (IllegalArgumentException e) {
            // the messages name the field; DS logs the PID only, so say which file to fix
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }
}
