package nl.lantaarn.adapters.ttn.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The last uplink frame counter ({@code f_cnt}) and session of each device, to recognise repeated deliveries of the
 * same uplink. Bounded: beyond {@code maxDevices} the device heard from least recently is forgotten (its next uplink
 * is then taken as new).
 * <p>
 * The rule, for an uplink of a device whose last accepted uplink had counter {@code last}:
 * <ul>
 * <li>another session ({@code session_key_id} differs, both known: the device joined again) - new;</li>
 * <li>{@code f_cnt > last} - new;</li>
 * <li>{@code f_cnt <= last - resetGap} - new: the device was reset and counts from zero again;</li>
 * <li>otherwise ({@code last - resetGap < f_cnt <= last}) - a repeat or a late copy of an uplink already applied.</li>
 * </ul>
 * Thread safe; the adapter's calls come one at a time, so the lock is never contended.
 */
final class FrameCounters {

    private record Last(long frameCounter, String session) {
    }

    private final long resetGap;
    private final Map<String, Last> last;

    FrameCounters(int maxDevices, long resetGap) {
        this.resetGap = resetGap;
        this.last = new LinkedHashMap<>(Math.min(maxDevices, 1024) * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
                return size() > maxDevices;
            }
        };
    }

    /**
     * @param device       the device key, application and device id
     * @param frameCounter the uplink's {@code f_cnt}
     * @param session      the uplink's {@code session_key_id}, or {@code null} when absent
     * @return whether this uplink was applied already (same counter) or is older than the last one applied
     */
    synchronized boolean isRepeat(String device, long frameCounter, String session) {
        Last previous = last.get(device);
        if (previous == null) {
            return false;
        }
        if (session != null && previous.session() != null && !session.equals(previous.session())) {
            return false;
        }
        if (frameCounter > previous.frameCounter()) {
            return false;
        }
        return previous.frameCounter() - frameCounter < resetGap;
    }

    /** Remembers an uplink that was applied. */
    synchronized void applied(String device, long frameCounter, String session) {
        Objects.requireNonNull(device, "device");
        Last previous = last.get(device);
        // an uplink without session keeps the session known from before
        String known = session == null && previous != null ? previous.session() : session;
        last.put(device, new Last(frameCounter, known));
    }

    /** Devices remembered, at most the configured maximum. */
    synchronized int size() {
        return last.size();
    }
}
