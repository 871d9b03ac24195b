package nl.lantaarn.adapter.runtime.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterQuery;
import nl.lantaarn.deadletter.api.DeadLetterService;

/** Dead letters in a list, for unit tests of the runtime (the file-backed service has its own tests). */
final class MemoryDeadLetters implements DeadLetterService {

    final List<DeadLetter> letters = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public DeadLetter record(String source, String origin, String reason, byte[] payload, Instant receivedAt) {
        DeadLetter letter = new DeadLetter("dl-" + ids.incrementAndGet(), source, origin, reason, receivedAt, payload);
        letters.add(letter);
        return letter;
    }

    @Override
    public List<DeadLetter> list(String source, int limit) {
        return list(new DeadLetterQuery(source, null, null, null, limit));
    }

    @Override
    public List<DeadLetter> list(DeadLetterQuery query) {
        return letters.stream().filter(query::matches).limit(query.limit()).collect(Collectors.toList());
    }

    @Override
    public Optional<DeadLetter> get(String id) {
        return letters.stream().filter(l -> l.id().equals(id)).findFirst();
    }

    @Override
    public boolean remove(String id) {
        return letters.removeIf(l -> l.id().equals(id));
    }

    @Override
    public synchronized boolean updateReason(String id, String reason) {
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter old = letters.get(i);
            if (old.id().equals(id)) {
                letters.set(i, new DeadLetter(id, old.source(), old.origin(), reason, old.receivedAt(), old.payload()));
                return true;
            }
        }
        return false;
    }

    @Override
    public long count() {
        return letters.size();
    }

    List<String> reasons() {
        return letters.stream().map(DeadLetter::reason).collect(Collectors.toList());
    }
}
