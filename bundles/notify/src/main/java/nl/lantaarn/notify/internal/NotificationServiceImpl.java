package nl.lantaarn.notify.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.notify.api.Alert;
import nl.lantaarn.notify.api.ChannelStatus;
import nl.lantaarn.notify.api.NotificationService;
import nl.lantaarn.notify.api.UnknownChannelException;

/**
 * The notification service: holds the channels that the webhook, MQTT and SMTP components open, and queues each alert
 * on the channels it names. Health contributor {@value #COMPONENT}: DEGRADED while a circuit breaker is open.
 */
@Component(service = {NotificationService.class, HealthContributor.class, ChannelRegistry.class})
public final class NotificationServiceImpl implements NotificationService, HealthContributor, ChannelRegistry {

    static final String COMPONENT = "notifications";
    static final String DEAD_LETTER_SOURCE_PREFIX = "notify:";

    private static final Logger LOG = LoggerFactory.getLogger(NotificationServiceImpl.class);

    private final DeadLetterService deadLetters;
    private final Map<String, Channel> channels = new HashMap<>();
    private final Map<String, String> configuredBy = new HashMap<>();

    @Activate
    public NotificationServiceImpl(@Reference DeadLetterService deadLetters) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    }

    @Override
    public void send(Alert alert, List<String> names) {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(names, "channels");
        List<Channel> targets = new ArrayList<>(names.size());
        synchronized (channels) {
            for (String name : names) {
                Channel channel = channels.get(name);
                if (channel == null) {
                    throw new UnknownChannelException(name, new TreeSet<>(channels.keySet()));
                }
                if (!targets.contains(channel)) {
                    targets.add(channel);
                }
            }
        }
        Channel.Pending pending = new Channel.Pending(alert, AlertJson.toBytes(alert), Instant.now());
        for (Channel channel : targets) {
            channel.offer(pending);
        }
    }

    @Override
    public List<ChannelStatus> channels() {
        return sorted().stream().map(Channel::status).toList();
    }

    @Override
    public String component() {
        return COMPONENT;
    }

    @Override
    public ComponentHealth health() {
        List<Channel> all = sorted();
        List<String> open = all.stream().filter(Channel::breakerOpen).map(Channel::name).toList();
        if (!open.isEmpty()) {
            return ComponentHealth.degraded("circuit breaker open on " + String.join(", ", open) + " (of "
                    + all.size() + " channels); alerts wait in their queues");
        }
        return ComponentHealth.up(all.isEmpty() ? "no channels configured (etc/nl.lantaarn.notify.<kind>~<name>.cfg)"
                : all.size() + " channels");
    }

    @Override
    public Channel open(String name, String kind, Delivery delivery, ChannelSettings settings, String origin) {
        Channel channel = new Channel(name, kind, delivery, settings, this::deadLetter);
        synchronized (channels) {
            Channel existing = channels.get(name);
            if (existing != null) {
                delivery.close();
                throw new IllegalArgumentException("channel name '" + name + "' of " + origin + " is taken by the "
                        + existing.kind() + " channel of " + configuredBy.get(name)
                        + "; channel names must be unique across webhook, mqtt and smtp");
            }
            channels.put(name, channel);
            configuredBy.put(name, origin);
            channel.start();
        }
        LOG.debug("Notification channel {} ({}) open, target {}", name, kind, delivery.target());
        return channel;
    }

    @Override
    public Channel reopen(Channel old, String kind, Delivery delivery, ChannelSettings settings, String origin) {
        Channel channel = new Channel(old.name(), kind, delivery, settings, this::deadLetter);
        synchronized (channels) {
            if (channels.get(old.name()) != old) {
                delivery.close();
                throw new IllegalStateException("channel '" + old.name() + "' is no longer open");
            }
            // the new channel takes the queue over before anyone can send to it
            old.stop(channel::offer);
            channels.put(old.name(), channel);
            configuredBy.put(old.name(), origin);
            channel.start();
        }
        LOG.debug("Notification channel {} ({}) reconfigured, target {}", old.name(), kind, delivery.target());
        return channel;
    }

    @Override
    public void close(Channel channel) {
        synchronized (channels) {
            if (channels.get(channel.name()) == channel) {
                channels.remove(channel.name());
                configuredBy.remove(channel.name());
            }
        }
        channel.stop(pending -> deadLetter(channel, pending, "channel '" + channel.name()
                + "' was removed before the alert was delivered"));
        LOG.debug("Notification channel {} closed", channel.name());
    }

    @Deactivate
    void deactivate() {
        List<Channel> all;
        synchronized (channels) {
            all = List.copyOf(channels.values());
        }
        // channel components are deactivated first; this is for those that were left
        all.forEach(this::close);
    }

    private List<Channel> sorted() {
        synchronized (channels) {
            return List.copyOf(new TreeMap<>(channels).values());
        }
    }

    private void deadLetter(Channel channel, Channel.Pending pending, String reason) {
        try {
            deadLetters.record(DEAD_LETTER_SOURCE_PREFIX + channel.name(), channel.target(), reason, pending.json(),
                    pending.receivedAt());
        } catch (RuntimeException e) {
            LOG.error("Notification channel {}: alert {} could not be kept as a dead letter ({}); reason it failed: {}",
                    channel.name(), pending.alert().id(), e.toString(), reason);
        }
    }
}
