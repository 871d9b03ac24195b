package nl.lantaarn.twin.api;

import java.util.OptionalLong;

/**
 * A precondition on a thing's revision for a conditional write, with the semantics of HTTP {@code If-Match} and
 * {@code If-None-Match} (RFC 9110) where the entity tag is the thing's revision. It is checked against the whole
 * thing's revision, also for writes to a single attribute or property. Immutable.
 * <p>
 * A write whose condition does not hold changes nothing and throws {@link TwinConflictException}.
 *
 * @since 1.1
 */
public final class WriteCondition {

    private enum Kind { ANY, MATCH_REVISION, MATCH_ANY, NONE_MATCH_ANY }

    private static final WriteCondition ANY = new WriteCondition(Kind.ANY, 0);
    private static final WriteCondition MATCH_ANY = new WriteCondition(Kind.MATCH_ANY, 0);
    private static final WriteCondition NONE_MATCH_ANY = new WriteCondition(Kind.NONE_MATCH_ANY, 0);

    private final Kind kind;
    private final long revision;

    private WriteCondition(Kind kind, long revision) {
        this.kind = kind;
        this.revision = revision;
    }

    /** No precondition: the write applies to whatever the thing is now. */
    public static WriteCondition any() {
        return ANY;
    }

    /** {@code If-Match: "<revision>"}: the thing must exist and be at exactly this revision. */
    public static WriteCondition ifMatch(long revision) {
        if (revision < 1) {
            throw new IllegalArgumentException("If-Match: a thing revision is 1 or more, not " + revision);
        }
        return new WriteCondition(Kind.MATCH_REVISION, revision);
    }

    /** {@code If-Match: *}: the thing must exist (an update, never a creation). */
    public static WriteCondition ifMatchAny() {
        return MATCH_ANY;
    }

    /** {@code If-None-Match: *}: the thing must not exist (a creation, never an update). */
    public static WriteCondition ifNoneMatchAny() {
        return NONE_MATCH_ANY;
    }

    /**
     * Whether a thing at {@code currentRevision} (empty: the thing does not exist) satisfies this condition.
     */
    public boolean allows(OptionalLong currentRevision) {
        switch (kind) {
            case MATCH_REVISION:
                return currentRevision.isPresent() && currentRevision.getAsLong() == revision;
            case MATCH_ANY:
                return currentRevision.isPresent();
            case NONE_MATCH_ANY:
                return currentRevision.isEmpty();
            default:
                return true;
        }
    }

    /** Whether this is {@link #any()}, i.e. no precondition. */
    public boolean isAny() {
        return kind == Kind.ANY;
    }

    /** The revision {@link #ifMatch(long)} requires; empty for the other conditions. */
    public OptionalLong expectedRevision() {
        return kind == Kind.MATCH_REVISION ? OptionalLong.of(revision) : OptionalLong.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteCondition c && kind == c.kind && revision == c.revision;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Long.hashCode(revision);
    }

    /** As the HTTP header would read, e.g. {@code If-Match: "5"}, {@code If-None-Match: *}, or {@code any}. */
    @Override
    public String toString() {
        switch (kind) {
            case MATCH_REVISION:
                return "If-Match: \"" + revision + "\"";
            case MATCH_ANY:
                return "If-Match: *";
            case NONE_MATCH_ANY:
                return "If-None-Match: *";
            default:
                return "any";
        }
    }
}
