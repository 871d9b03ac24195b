package nl.lantaarn.durable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataStore;
import nl.lantaarn.personaldata.api.RetentionRules;

/**
 * An outbox file as a {@link PersonalDataStore}: entries past the retention of the thing they concern are removed
 * (dated by the queues' time marks, never early), and entries that contain a thing id or a pseudonym are exported or
 * erased, in every queue of the file. The owner registers one as an OSGi service.
 */
public final class OutboxPersonalData implements PersonalDataStore {

    private final String name;
    private final Supplier<DurableStore> store;
    private final Function<byte[], String> thingIdOf;
    private final Function<byte[], String> describe;

    /**
     * @param name      the store's name in reports, e.g. {@code outbox:routing}
     * @param store     the open outbox, or {@code null} while there is none
     * @param thingIdOf the thing an entry concerns, {@code null} when none or unreadable
     * @param describe  an entry as a JSON object (text), for exports
     */
    public OutboxPersonalData(String name, Supplier<DurableStore> store, Function<byte[], String> thingIdOf,
            Function<byte[], String> describe) {
        this.name = name;
        this.store = store;
        this.thingIdOf = thingIdOf;
        this.describe = describe;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long expire(RetentionRules rules, Instant now) {
        DurableStore current = store.get();
        if (current == null) {
            return 0;
        }
        Map<String, Instant> cutoffs = new HashMap<>();
        long removed = 0;
        for (DurableQueue queue : current.allQueues()) {
            removed += queue.removeIf((appendedBy, bytes) -> {
                if (appendedBy == null) {
                    return false;
                }
                String thingId = thingIdOf.apply(bytes);
                Instant cutoff = cutoffs.computeIfAbsent(thingId == null ? "" : thingId, id -> {
                    Duration retention = id.isEmpty() ? rules.fallback() : rules.thing(id);
                    return now.minus(retention);
                });
                return appendedBy.isBefore(cutoff);
            });
        }
        return removed;
    }

    @Override
    public List<String> export(DataSubject subject) {
        DurableStore current = store.get();
        List<String> result = new ArrayList<>();
        if (current == null) {
            return result;
        }
        for (DurableQueue queue : current.allQueues()) {
            for (DurableQueue.Entry entry : queue.entries(0, queue.nextSequence(), Integer.MAX_VALUE)) {
                if (subject.occursIn(entry.value())) {
                    result.add("{\"queue\":" + quote(queue.name()) + ",\"sequence\":" + entry.sequence()
                            + ",\"entry\":" + describe.apply(entry.value()) + "}");
                }
            }
        }
        return result;
    }

    @Override
    public long erase(DataSubject subject) {
        DurableStore current = store.get();
        if (current == null) {
            return 0;
        }
        long removed = 0;
        for (DurableQueue queue : current.allQueues()) {
            removed += queue.removeIf((appendedBy, bytes) -> subject.occursIn(bytes));
        }
        if (removed > 0) {
            current.compactNow();
        }
        return removed;
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
