package nl.lantaarn.http.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.CommandCounters;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.admin.UnknownAdapterException;
import nl.lantaarn.adapter.api.InboundMessage;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterService;

/**
 * The adapter runtime's admin side as the servlets see it, until the runtime can run in these tests: statuses as set,
 * calls remembered, ingest answered as the test says, and replay keeping the contract on the real dead-letter service
 * (removed when accepted, new reason when rejected again).
 */
final class FakeAdmin implements AdapterAdmin {

    static final PrivacyManifest PRIVACY = PrivacyManifest.builder()
            .dataCategories("sound-level")
            .purpose("detect aggression in nightlife areas")
            .legalGround(PrivacyManifest.LegalGround.PUBLIC_TASK)
            .retention(Duration.ofDays(30))
            .fields("/features/noise/properties/laeq")
            .build();

    final Map<String, AdapterStatus> statuses = new TreeMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<InboundMessage> ingested = new CopyOnWriteArrayList<>();
    volatile Function<InboundMessage, CompletionStage<IngestResult>> ingestAnswer =
            message -> CompletableFuture.completedFuture(new IngestResult(true, List.of(), null, null));
    /** Accepts a replayed payload unless the answer says otherwise. */
    volatile Function<DeadLetter, IngestResult> replayAnswer =
            letter -> new IngestResult(true, List.of("nl.demo.safety:" + letter.source()), null, null);
    private final DeadLetterService letters;

    FakeAdmin(DeadLetterService letters) {
        this.letters = letters;
    }

    static AdapterStatus status(String id, String inbound, AdapterState state) {
        String type = id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
        return new AdapterStatus(id, type, "Vendor of " + type, Set.of("safety", "crowd"), "nl.lantaarn.adapters." + type
                + " 1.0.0", state, state == AdapterState.RUNNING ? null : "stopped by an operator", inbound, PRIVACY,
                12, 10, 2, 2, 10, 3, 10_000, 125.5, 900, Instant.parse("2026-11-23T21:14:05Z"));
    }

    void put(AdapterStatus status) {
        statuses.put(status.id(), status);
    }

    @Override
    public synchronized List<AdapterStatus> list() {
        return new ArrayList<>(statuses.values());
    }

    @Override
    public synchronized Optional<AdapterStatus> status(String id) {
        return Optional.ofNullable(statuses.get(id));
    }

    @Override
    public synchronized Optional<CommandCounters> commands(String id) {
        return statuses.containsKey(id) ? Optional.of(new CommandCounters(7, 5, 3, 2, 1, 0)) : Optional.empty();
    }

    @Override
    public synchronized void stop(String id) {
        require(id);
        calls.add("stop " + id);
    }

    @Override
    public synchronized void start(String id) {
        require(id);
        calls.add("start " + id);
    }

    private void require(String id) {
        if (!statuses.containsKey(id)) {
            throw new UnknownAdapterException(id);
        }
    }

    @Override
    public CompletionStage<IngestResult> ingest(String id, InboundMessage message) {
        require(id);
        ingested.add(message);
        return ingestAnswer.apply(message);
    }

    @Override
    public CompletionStage<IngestResult> replay(String deadLetterId) {
        DeadLetter letter = letters.get(deadLetterId)
                .orElseThrow(() -> new NoSuchElementException("no dead letter " + deadLetterId));
        require(letter.source());
        IngestResult result = replayAnswer.apply(letter);
        if (result.accepted()) {
            letters.remove(deadLetterId);
        } else {
            letters.updateReason(deadLetterId, result.reason());
        }
        return CompletableFuture.completedFuture(result);
    }
}
