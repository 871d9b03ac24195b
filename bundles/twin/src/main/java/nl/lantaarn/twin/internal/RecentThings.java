package nl.lantaarn.twin.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Bounds how many {@link HeldThing}s keep their parsed Ditto Thing: the most recently written or parsed ones, so that
 * the devices that keep reporting are not parsed again on every merge, while a million quiet things cost only their
 * JSON bytes. A ring of {@code capacity} places with a clock hand: a newcomer takes the next place and the thing there
 * drops its parsed Thing, unless it was read since the hand last passed (a second chance: it moves on to the next
 * place instead, a few times at most). Lock-free; a thing may briefly be in two places, which only costs a parse.
 */
final class RecentThings {

    /** How many places one newcomer may move the hand on while it finds things read again. */
    private static final int SECOND_CHANCES = 4;

    private final AtomicReferenceArray<HeldThing> ring;
    private final AtomicLong hand = new AtomicLong();

    /** @param capacity how many parsed things at most; 0 keeps none */
    RecentThings(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 or more, not " + capacity);
        }
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    int capacity() {
        return ring.length();
    }

    /** Takes a thing whose parsed Thing was just set; another one loses its parsed Thing. */
    void add(HeldThing held) {
        int places = ring.length();
        if (places == 0) {
            held.forget();
            return;
        }
        HeldThing incoming = held;
        for (int step = 0; step <= SECOND_CHANCES; step++) {
            HeldThing out = ring.getAndSet((int) Math.floorMod(hand.getAndIncrement(), (long) places), incoming);
            if (out == null || out == incoming) {
                return;
            }
            if (step == SECOND_CHANCES || !out.takeRecentlyUsed()) {
                out.forget();
                return;
            }
            incoming = out; // read since the hand passed: it goes round once more
        }
    }
}
