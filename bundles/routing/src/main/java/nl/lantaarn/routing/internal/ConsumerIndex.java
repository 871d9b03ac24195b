package nl.lantaarn.routing.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The {@code hub:events} consumers by the filter that narrows them most, so that an event looks up the few consumers
 * it can match instead of testing every consumer's filter: a consumer with a {@code thing} filter is found by the
 * event's thing id, else one with a {@code namespace} filter by the namespace, else one with a {@code feature} filter
 * by the features the change touched; the rest (no such filter) are tested for every event. Each consumer sits in
 * exactly one place, so it is handed an event at most once, and a candidate must still pass its whole filter (domain,
 * definition, zone, ...). Within each place the consumers keep the order they were added in.
 * <p>
 * Immutable: {@link #with} and {@link #without} make a new index (copy on write), so dispatching on one snapshot is
 * never disturbed by a route starting or stopping. Looking candidates up allocates nothing but the iterator over the
 * touched features, and that only when some consumer is indexed by feature.
 *
 * @param <T> the consumer
 */
final class ConsumerIndex<T> {

    /** A consumer with its filter. */
    private record Entry<T>(T target, HubFilter filter) {
    }

    private static final ConsumerIndex<?> EMPTY = new ConsumerIndex<>(List.of());

    /** All consumers in the order they were added (duplicates kept, as a list would). */
    private final List<Entry<T>> all;
    private final Map<String, Entry<T>[]> byThing;
    private final Map<String, Entry<T>[]> byNamespace;
    private final Map<String, Entry<T>[]> byFeature;
    private final Entry<T>[] rest;

    private ConsumerIndex(List<Entry<T>> all) {
        this.all = all;
        Map<String, List<Entry<T>>> things = new LinkedHashMap<>();
        Map<String, List<Entry<T>>> namespaces = new LinkedHashMap<>();
        Map<String, List<Entry<T>>> features = new LinkedHashMap<>();
        List<Entry<T>> others = new ArrayList<>();
        for (Entry<T> entry : all) {
            HubFilter filter = entry.filter();
            if (filter.thing() != null) {
                things.computeIfAbsent(filter.thing(), k -> new ArrayList<>()).add(entry);
            } else if (filter.namespace() != null) {
                namespaces.computeIfAbsent(filter.namespace(), k -> new ArrayList<>()).add(entry);
            } else if (filter.feature() != null) {
                features.computeIfAbsent(filter.feature(), k -> new ArrayList<>()).add(entry);
            } else {
                others.add(entry);
            }
        }
        this.byThing = frozen(things);
        this.byNamespace = frozen(namespaces);
        this.byFeature = frozen(features);
        this.rest = array(others);
    }

    @SuppressWarnings("unchecked")
    static <T> ConsumerIndex<T> empty() {
        return (ConsumerIndex<T>) EMPTY;
    }

    /** This index plus {@code target} with {@code filter}. */
    ConsumerIndex<T> with(T target, HubFilter filter) {
        List<Entry<T>> more = new ArrayList<>(all.size() + 1);
        more.addAll(all);
        more.add(new Entry<>(target, filter));
        return new ConsumerIndex<>(List.copyOf(more));
    }

    /** This index without (the first occurrence of) {@code target}; this index when it does not hold it. */
    ConsumerIndex<T> without(T target) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).target().equals(target)) {
                List<Entry<T>> fewer = new ArrayList<>(all);
                fewer.remove(i);
                return fewer.isEmpty() ? empty() : new ConsumerIndex<>(List.copyOf(fewer));
            }
        }
        return this;
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    int size() {
        return all.size();
    }

    /**
     * Hands the event to every consumer whose filter matches it, each at most once: {@code action} is called with the
     * consumer and the event.
     *
     * @return the number of consumers that matched
     */
    int forEachMatch(TwinEventView view, BiConsumer<? super T, TwinEventView> action) {
        int matched = 0;
        if (!byThing.isEmpty()) {
            matched += offer(byThing.get(view.thingId()), view, action);
        }
        if (!byNamespace.isEmpty()) {
            matched += offer(byNamespace.get(view.namespace()), view, action);
        }
        if (!byFeature.isEmpty()) {
            // a consumer has one feature filter, so it sits in one list: each is offered the event once
            for (String feature : view.touchedFeatures()) {
                matched += offer(byFeature.get(feature), view, action);
            }
        }
        return matched + offer(rest, view, action);
    }

    private static <T> int offer(Entry<T>[] candidates, TwinEventView view,
            BiConsumer<? super T, TwinEventView> action) {
        if (candidates == null) {
            return 0;
        }
        int matched = 0;
        for (Entry<T> candidate : candidates) {
            if (candidate.filter().matches(view)) {
                action.accept(candidate.target(), view);
                matched++;
            }
        }
        return matched;
    }

    private static <T> Map<String, Entry<T>[]> frozen(Map<String, List<Entry<T>>> lists) {
        if (lists.isEmpty()) {
            return Map.of();
        }
        Map<String, Entry<T>[]> arrays = new HashMap<>((int) (lists.size() / 0.75f) + 1);
        lists.forEach((key, list) -> arrays.put(key, array(list)));
        return arrays;
    }

    @SuppressWarnings("unchecked")
    private static <T> Entry<T>[] array(List<Entry<T>> list) {
        return list.toArray(new Entry[0]);
    }
}
