package nl.lantaarn.adapter.runtime.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.api.InboundMessage;

/**
 * A payload whose sender waits for the outcome (webhook, replay, watched folder). Transports that do not wait (MQTT)
 * queue the bare {@link InboundMessage} instead, so they allocate no future per message.
 */
final class IngestTask {

    final InboundMessage message;
    /** The dead letter this payload is replayed from, or {@code null}. */
    final String replayOf;
    final CompletableFuture<IngestResult> result = new CompletableFuture<>();

    IngestTask(InboundMessage message, String replayOf) {
        this.message = message;
        this.replayOf = replayOf;
    }

    void accepted(List<String> thingIds) {
        result.complete(new IngestResult(true, thingIds, null, null));
    }

    void refused(List<String> thingIds, String reason, String deadLetterId) {
        result.complete(new IngestResult(false, thingIds, reason, deadLetterId));
    }
}
