package nl.lantaarn.notify.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.durable.DurableQueue;
import nl.lantaarn.durable.DurableStore;
import nl.lantaarn.durable.DurableStoreException;
import nl.lantaarn.durable.OutboxPersonalData;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.notify.api.Alert;
import nl.lantaarn.notify.api.ChannelStatus;
import nl.lantaarn.notify.api.NotificationService;
import nl.lantaarn.notify.api.UnknownChannelException;
import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataStore;
import nl.lantaarn.personaldata.api.RetentionRules;
import nl.lantaarn.runtime.api.HubHome;

/**
 * The notification service: holds the channels that the webhook, MQTT and SMTP components open, and queues each alert
 * on the channels it names. Health contributor {@value #COMPONENT}: DEGRADED while a circuit breaker is open.
 * <p>
 * The outbox ({@value #OUTBOX_FILE} under the hub's home) keeps one durable queue per channel: {@link #send} returns
 * once the alert is committed to it, so an alert accepted before a crash or a stop is delivered after the next start.
 */
@Component(service = {NotificationService.class, HealthContributor.class, ChannelRegistry.class,
        PersonalDataStore.class})
public final class NotificationServiceImpl implements NotificationService, HealthContributor, ChannelRegistry,
        PersonalDataStore {

    static final String COMPONENT = "notifications";
    static final String DEAD_LETTER_SOURCE_PREFIX = "notify:";
    /** The outbox file, relative to the hub's home. */
    static final String OUTBOX_FILE = "data/notify/outbox.mv";
    /** How long {@link #send} waits for the outbox commit (normally a few milliseconds). */
    static final Duration COMMIT_WAIT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(NotificationServiceImpl.class);

    private final DeadLetterService deadLetters;
    private final Map<String, Channel> channels = new HashMap<>();
    private final Map<String, String> configuredBy = new HashMap<>();
    private final Path outboxFile;
    private final DurableStore outbox;
    private final AtomicLong uncommitted = new AtomicLong();
    private volatile String outboxProblem;
    /** The channels' outbox for retention, erasure and export: the alerts waiting for delivery. */
    private final OutboxPersonalData outboxData = new OutboxPersonalData("outbox:notify", this::outboxStore, bytes -> {
        try {
            return OutboxAlert.read(bytes, -1).alert().thingId();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }, bytes -> {
        try {
            return new String(OutboxAlert.read(bytes, -1).json(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "{\"unreadable\":" + org.eclipse.ditto.json.JsonValue.of(e.getMessage()) + "}";
        }
    });

    @Activate
    public NotificationServiceImpl(@Reference DeadLetterService deadLetters, BundleContext context) {
        this(deadLetters, HubHome.of(context).resolve(OUTBOX_FILE).toAbsolutePath().normalize());
    }

    /** Without an outbox: alerts are queued in memory only. */
    NotificationServiceImpl(DeadLetterService deadLetters) {
        this(deadLetters, (Path) null);
    }

    /** @param outboxFile the outbox, or {@code null}: alerts are queued in memory only */
    NotificationServiceImpl(DeadLetterService deadLetters, Path outboxFile) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.outboxFile = outboxFile;
        this.outbox = openOutbox(outboxFile);
    }

    private DurableStore outboxStore() {
        return outbox;
    }

    @Override
    public String name() {
        return outboxData.name();
    }

    @Override
    public long expire(RetentionRules rules, java.time.Instant now) {
        return outboxData.expire(rules, now);
    }

    @Override
    public List<String> export(DataSubject subject) {
        return outboxData.export(subject);
    }

    @Override
    public long erase(DataSubject subject) {
        return outboxData.erase(subject);
    }

    private DurableStore openOutbox(Path file) {
        if (file == null) {
            return null;
        }
        try {
            DurableStore store = DurableStore.open(file, DurableStore.Options.defaults());
            Map<String, Integer> backlog = store.backlog();
            if (!backlog.isEmpty()) {
                LOG.info("Notification outbox {} holds alerts not yet delivered: {}; each channel sends its own when "
                        + "it opens", file, backlog);
            }
            return store;
        } catch (DurableStoreException e) {
            outboxProblem = e.getMessage();
            LOG.error("{} Alerts are queued in memory only until the notification bundle restarts: a crash loses "
                    + "those not yet delivered.", e.getMessage());
            return null;
        }
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
        byte[] entry = outbox == null ? null : OutboxAlert.bytes(pending);
        boolean appended = false;
        for (Channel channel : targets) {
            appended |= channel.offer(pending, entry);
        }
        if (appended) {
            awaitCommit(alert);
        }
    }

    /** Accepted means on disk: waits for the outbox's group commit (a few milliseconds). */
    private void awaitCommit(Alert alert) {
        try {
            if (!outbox.awaitCommitted(COMMIT_WAIT)) {
                if (uncommitted.getAndIncrement() == 0) {
                    LOG.warn("Alert {} is queued, but the notification outbox {} did not commit it within {} s ({}); "
                            + "a crash now would lose it. Check the disk of that volume", alert.id(), outboxFile,
                            COMMIT_WAIT.toSeconds(), outbox.failure());
                }
            } else {
                uncommitted.set(0);
            }
        } catch (InterruptedException e) {
            // the caller is being stopped; the alert is queued, its commit follows
            Thread.currentThread().interrupt();
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
        StringBuilder outboxDetail = new StringBuilder();
        boolean outboxDegraded = describeOutbox(all.stream().map(Channel::name).collect(Collectors.toSet()),
                outboxDetail);
        if (!open.isEmpty()) {
            return ComponentHealth.degraded("circuit breaker open on " + String.join(", ", open) + " (of "
                    + all.size() + " channels); alerts wait in their queues" + outboxDetail);
        }
        String detail = (all.isEmpty() ? "no channels configured (etc/nl.lantaarn.notify.<kind>-<name>.cfg)"
                : all.size() + " channels") + outboxDetail;
        return outboxDegraded ? ComponentHealth.degraded(detail) : ComponentHealth.up(detail);
    }

    /** The outbox part of the health detail; true when the outbox does not work. */
    private boolean describeOutbox(Set<String> channelNames, StringBuilder detail) {
        if (outboxFile == null) {
            return false;
        }
        detail.append("; outbox ").append(outboxFile);
        if (outbox == null) {
            detail.append(" could not be opened, alerts are queued in memory only: ").append(outboxProblem);
            return true;
        }
        Map<String, Integer> backlog = outbox.backlog();
        String waiting = backlog.entrySet().stream().filter(e -> channelNames.contains(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String kept = backlog.entrySet().stream().filter(e -> !channelNames.contains(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        detail.append(waiting.isEmpty() ? ": empty" : ": alerts waiting " + waiting);
        if (!kept.isEmpty()) {
            // not DEGRADED: at start the channels open a moment after this service
            detail.append("; alerts kept for channels not configured (yet), sent when a channel of that name opens: ")
                    .append(kept);
        }
        if (outbox.failure() != null) {
            detail.append("; outbox commits fail: ").append(outbox.failure());
            return true;
        }
        return false;
    }

    @Override
    public Channel open(String name, String kind, Delivery delivery, ChannelSettings settings, String origin) {
        Channel channel;
        synchronized (channels) {
            Channel existing = channels.get(name);
            if (existing != null) {
                delivery.close();
                throw new IllegalArgumentException("channel name '" + name + "' of " + origin + " is taken by the "
                        + existing.kind() + " channel of " + configuredBy.get(name)
                        + "; channel names must be unique across webhook, mqtt and smtp");
            }
            // only once the name is ours: opening the queue sets its capacity, which a taken name's channel owns
            DurableQueue queue = outboxQueue(name, settings);
            channel = new Channel(name, kind, delivery, settings, this::deadLetter, queue);
            // before anyone can send to it: what an earlier run accepted goes first
            restore(channel, queue);
            channels.put(name, channel);
            configuredBy.put(name, origin);
            channel.start();
        }
        LOG.debug("Notification channel {} ({}) open, target {}", name, kind, delivery.target());
        return channel;
    }

    @Override
    public Channel reopen(Channel old, String kind, Delivery delivery, ChannelSettings settings, String origin) {
        Channel channel;
        synchronized (channels) {
            if (channels.get(old.name()) != old) {
                delivery.close();
                throw new IllegalStateException("channel '" + old.name() + "' is no longer open");
            }
            channel = new Channel(old.name(), kind, delivery, settings, this::deadLetter,
                    outboxQueue(old.name(), settings));
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
        forget(channel);
        channel.stop(pending -> channel.deadLetter(pending, "channel '" + channel.name()
                + "' was removed before the alert was delivered"));
        LOG.debug("Notification channel {} closed", channel.name());
    }

    @Override
    public void detach(Channel channel) {
        forget(channel);
        // the waiting alerts stay in the outbox for the channel's next start; without an outbox they would be lost
        channel.stop(pending -> {
            if (pending.entry() < 0) {
                deadLetter(channel, pending, "channel '" + channel.name() + "' stopped before the alert was "
                        + "delivered, and the alert is not in the outbox");
            }
        });
        LOG.debug("Notification channel {} stopped", channel.name());
    }

    /** Takes a channel out of the map, unless another one has its name already. */
    private void forget(Channel channel) {
        synchronized (channels) {
            if (channels.remove(channel.name(), channel)) {
                configuredBy.remove(channel.name());
            }
        }
    }

    @Deactivate
    void deactivate() {
        List<Channel> all;
        synchronized (channels) {
            all = List.copyOf(channels.values());
        }
        // channel components are deactivated first; this is for those that were left
        all.forEach(this::detach);
        if (outbox != null) {
            outbox.close();
        }
    }

    /** The channel's durable queue (its capacity counts the alert in delivery too), or {@code null}. */
    private DurableQueue outboxQueue(String name, ChannelSettings settings) {
        if (outbox == null) {
            return null;
        }
        try {
            return outbox.queue(name, settings.queueCapacity() + 1);
        } catch (DurableStoreException e) {
            LOG.warn("Notification channel {}: {} Its alerts are queued in memory only.", name, e.getMessage());
            return null;
        }
    }

    /** Queues what the outbox holds for a channel that opens, in order. */
    private void restore(Channel channel, DurableQueue queue) {
        if (queue == null || queue.size() == 0) {
            return;
        }
        int restored = 0;
        long from = 0;
        long before = queue.nextSequence();
        while (true) {
            List<DurableQueue.Entry> page = queue.entries(from, before, 256);
            if (page.isEmpty()) {
                break;
            }
            for (DurableQueue.Entry entry : page) {
                Channel.Pending pending;
                try {
                    pending = OutboxAlert.read(entry.value(), entry.sequence());
                } catch (IllegalArgumentException e) {
                    recordUnreadable(channel, entry, e);
                    queue.remove(entry.sequence());
                    continue;
                }
                channel.offer(pending);
                restored++;
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
        LOG.info("Notification channel {}: {} alerts from the outbox queued again", channel.name(), restored);
    }

    private void recordUnreadable(Channel channel, DurableQueue.Entry entry, IllegalArgumentException e) {
        try {
            deadLetters.record(DEAD_LETTER_SOURCE_PREFIX + channel.name(), channel.target(), "outbox entry "
                    + entry.sequence() + " cannot be read (" + e.getMessage() + "); kept here instead of sent",
                    entry.value(), Instant.now());
        } catch (RuntimeException failure) {
            LOG.error("Notification channel {}: unreadable outbox entry {} could not be kept as a dead letter ({})",
                    channel.name(), entry.sequence(), failure.toString());
        }
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
