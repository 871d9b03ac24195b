package nl.lantaarn.adapter.admin;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import nl.lantaarn.adapter.api.InboundMessage;

/** The adapter runtime's view and controls, for the admin API and for adapter bundles with their own endpoints. */
@ProviderType
public interface AdapterAdmin {

    /** Every configured instance, sorted by id. */
    List<AdapterStatus> list();

    /** One instance. */
    Optional<AdapterStatus> status(String id);

    /**
     * The command counters of one instance; empty when there is no such instance. All zero for adapters that take no
     * commands.
     *
     * @since 1.1
     */
    Optional<CommandCounters> commands(String id);

    /**
     * Stops an instance: its transport is closed, its inbox drained. Stays stopped until {@link #start(String)}.
     *
     * @throws UnknownAdapterException when there is no such instance
     */
    void stop(String id);

    /**
     * Starts a stopped (or failed) instance again.
     *
     * @throws UnknownAdapterException when there is no such instance
     */
    void start(String id);

    /**
     * Hands a payload to an instance's inbox as if its transport had received it. A rejection becomes a dead letter.
     * The stage completes when the payload has been mapped and applied, or rejected.
     *
     * @throws UnknownAdapterException when there is no such instance
     */
    CompletionStage<IngestResult> ingest(String id, InboundMessage message);

    /**
     * Hands a dead letter's payload to its instance again (after the adapter was fixed). On success the dead letter
     * is removed; when it is rejected again it stays, with the new reason, and no second dead letter is made.
     *
     * @param deadLetterId the dead letter's id
     * @throws java.util.NoSuchElementException when there is no such dead letter
     * @throws UnknownAdapterException          when its instance no longer exists
     */
    CompletionStage<IngestResult> replay(String deadLetterId);
}
