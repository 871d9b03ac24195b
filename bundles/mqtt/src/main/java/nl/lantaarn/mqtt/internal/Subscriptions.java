package nl.lantaarn.mqtt.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.mqtt.api.MqttMessageHandler;

/**
 * The handlers per topic filter. Several handlers may share a filter: the broker sees one subscription per filter,
 * at the highest QoS asked for, and it is dropped when the last handler closes. Changes copy the index
 * (subscriptions change rarely); dispatching reads it without locking.
 */
final class Subscriptions implements Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private final Object lock = new Object();
    private final Map<String, Entry> byFilter = new HashMap<>();
    private volatile Index index = new Index(Map.of(), new Entry[0]);

    /** What the broker has to be told after a change. */
    record Change(boolean subscribe, int qos) {
    }

    /** A handler registered for a filter. */
    static final class Handle {
        final String filter;
        final MqttMessageHandler handler;
        private boolean warned;

        Handle(String filter, MqttMessageHandler handler) {
            this.filter = filter;
            this.handler = handler;
        }
    }

    private static final class Entry {
        final String filter;
        final String matchPart;
        final boolean wildcard;
        final List<Handle> handles = new ArrayList<>();
        final List<Integer> qos = new ArrayList<>();
        volatile Handle[] snapshot = new Handle[0];

        Entry(String filter) {
            this.filter = filter;
            this.matchPart = TopicFilters.matchPart(filter);
            this.wildcard = TopicFilters.hasWildcard(filter);
        }

        int maxQos() {
            int max = 0;
            for (int q : qos) {
                max = Math.max(max, q);
            }
            return max;
        }
    }

    private record Index(Map<String, Entry> exact, Entry[] wildcards) {
    }

    /**
     * Adds a handler.
     *
     * @return whether the broker must be sent a SUBSCRIBE (first handler, or a higher QoS than before) and at which
     *         QoS
     */
    Change add(Handle handle, int qos) {
        synchronized (lock) {
            Entry entry = byFilter.get(handle.filter);
            boolean created = entry == null;
            if (created) {
                entry = new Entry(handle.filter);
                byFilter.put(handle.filter, entry);
            }
            int before = created ? -1 : entry.maxQos();
            entry.handles.add(handle);
            entry.qos.add(qos);
            entry.snapshot = entry.handles.toArray(new Handle[0]);
            if (created) {
                reindex();
            }
            return new Change(qos > before, Math.max(qos, Math.max(before, 0)));
        }
    }

    /** Removes a handler; returns whether it was the filter's last one, so the broker must be sent UNSUBSCRIBE. */
    boolean remove(Handle handle) {
        synchronized (lock) {
            Entry entry = byFilter.get(handle.filter);
            if (entry == null) {
                return false;
            }
            int i = entry.handles.indexOf(handle);
            if (i < 0) {
                return false;
            }
            entry.handles.remove(i);
            entry.qos.remove(i);
            entry.snapshot = entry.handles.toArray(new Handle[0]);
            if (entry.handles.isEmpty()) {
                byFilter.remove(handle.filter);
                reindex();
                return true;
            }
            return false;
        }
    }

    int filterCount() {
        synchronized (lock) {
            return byFilter.size();
        }
    }

    private void reindex() {
        Map<String, Entry> exact = new HashMap<>();
        List<Entry> wildcards = new ArrayList<>();
        for (Entry e : byFilter.values()) {
            if (e.wildcard) {
                wildcards.add(e);
            } else {
                exact.put(e.filter, e);
            }
        }
        index = new Index(Map.copyOf(exact), wildcards.toArray(new Entry[0]));
    }

    @Override
    public void dispatch(String topic, Supplier<byte[]> payload) {
        Index current = index;
        Entry exact = current.exact.get(topic);
        if (exact != null) {
            deliver(exact, topic, payload);
        }
        for (Entry e : current.wildcards) {
            if (TopicFilters.matches(e.matchPart, topic)) {
                deliver(e, topic, payload);
            }
        }
    }

    private static void deliver(Entry entry, String topic, Supplier<byte[]> payload) {
        for (Handle h : entry.snapshot) {
            try {
                h.handler.onMessage(topic, payload.get());
            } catch (RuntimeException e) {
                // a broken handler must not stop the others; say so once per subscription
                if (!h.warned) {
                    h.warned = true;
                    LOG.warn("MQTT handler for {} failed on a message of {}; further failures of this handler are"
                            + " logged at DEBUG", h.filter, topic, e);
                } else {
                    LOG.debug("MQTT handler for {} failed on a message of {}", h.filter, topic, e);
                }
            }
        }
    }
}
