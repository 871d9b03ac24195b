package nl.lantaarn.twin.internal;

import java.nio.charset.StandardCharsets;

import org.eclipse.ditto.things.model.Thing;

/**
 * One acknowledged state of a thing as the twin holds it: its Ditto JSON as compact UTF-8 bytes (about 330 bytes for
 * a typical sensor, where the parsed Ditto {@link Thing} takes about 5 KB of heap) and its revision, plus the parsed
 * Thing while it is among the {@link RecentThings}. Immutable but for that cached Thing, which is dropped and made
 * again at will: it is always the thing these bytes describe.
 */
final class HeldThing {

    private final byte[] json;
    private final long revision;
    /** The parsed thing while cached; {@code null} when not (yet, or no longer). */
    private volatile Thing thing;
    /** Read since it was last considered for eviction (second chance). */
    private volatile boolean recentlyUsed;
    /** Its JSON could not be parsed into a thing (counted once). */
    private volatile boolean unreadable;

    HeldThing(byte[] json, long revision, Thing thing) {
        this.json = json;
        this.revision = revision;
        this.thing = thing;
    }

    static HeldThing of(String json, long revision, Thing thing) {
        return new HeldThing(json.getBytes(StandardCharsets.UTF_8), revision, thing);
    }

    long revision() {
        return revision;
    }

    String json() {
        return new String(json, StandardCharsets.UTF_8);
    }

    int jsonBytes() {
        return json.length;
    }

    /** The cached thing, marking it used; {@code null} when not cached. */
    Thing cached() {
        Thing cached = thing;
        if (cached != null && !recentlyUsed) {
            recentlyUsed = true;
        }
        return cached;
    }

    void cache(Thing parsed) {
        thing = parsed;
    }

    /** Whether it was used since the last call; clears the mark. */
    boolean takeRecentlyUsed() {
        boolean used = recentlyUsed;
        if (used) {
            recentlyUsed = false;
        }
        return used;
    }

    void forget() {
        thing = null;
    }

    boolean unreadable() {
        return unreadable;
    }

    void markUnreadable() {
        unreadable = true;
    }
}
