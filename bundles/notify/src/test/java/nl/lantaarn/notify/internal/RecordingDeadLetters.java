package nl.lantaarn.notify.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterQuery;
import nl.lantaarn.deadletter.api.DeadLetterService;

/** Keeps dead letters in memory, in the order recorded. */
final class RecordingDeadLetters implements DeadLetterService {

    final List<DeadLetter> letters = new CopyOnWriteArrayList<>();

    @Override
    public DeadLetter record(String source, String origin, String reason, byte[] payload, Instant receivedAt) {
        DeadLetter letter = new DeadLetter(UUID.randomUUID().toString(), source, origin, reason, receivedAt, payload);
        letters.add(letter);
        return letter;
    }

    @Override
    public List<DeadLetter> list(String source, int limit) {
        return letters.stream().filter(l -> source == null || source.equals(l.source())).limit(limit).toList();
    }

    @Override
    public List<DeadLetter> list(DeadLetterQuery query) {
        return letters.stream().filter(query::matches).limit(query.limit()).toList();
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
    public boolean updateReason(String id, String reason) {
        return false;
    }

    @Override
    public long count() {
        return letters.size();
    }
}
