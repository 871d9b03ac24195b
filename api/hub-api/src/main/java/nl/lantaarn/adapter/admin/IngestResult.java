package nl.lantaarn.adapter.admin;

import java.util.List;

/**
 * What became of one payload handed to an adapter instance.
 *
 * @param accepted     true when the adapter mapped it and every update was applied
 * @param thingIds     the things it created or changed (may be empty for a valid payload carrying nothing)
 * @param reason       why it was not accepted, else {@code null}
 * @param deadLetterId the dead letter it became, or {@code null} (accepted, or a replay that failed again)
 */
public record IngestResult(boolean accepted, List<String> thingIds, String reason, String deadLetterId) {
}
