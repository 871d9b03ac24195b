package nl.lantaarn.mqtt.internal;

/** MQTT topic filter matching, without allocating: the dispatcher runs it for every message. */
final class TopicFilters {

    private static final String SHARE_PREFIX = "$share/";

    private TopicFilters() {
        throw new AssertionError("no instances");
    }

    static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0 || filter.startsWith(SHARE_PREFIX);
    }

    /**
     * The part of a filter that topics are matched against: a shared subscription {@code $share/group/f} matches
     * like {@code f}.
     */
    static String matchPart(String filter) {
        if (filter.startsWith(SHARE_PREFIX)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            return slash < 0 ? filter : filter.substring(slash + 1);
        }
        return filter;
    }

    /** Whether {@code topic} matches {@code filter} (without {@code $share/}); {@code +} is one level, {@code #} the rest. */
    static boolean matches(String filter, String topic) {
        // wildcards at the first level do not match topics starting with '$' (MQTT 3.1.1 4.7.2, MQTT 5 4.7.2)
        if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        int f = 0;
        int t = 0;
        int fl = filter.length();
        int tl = topic.length();
        while (f < fl) {
            char c = filter.charAt(f);
            if (c == '#') {
                return true;
            }
            if (c == '+') {
                // skip one topic level
                while (t < tl && topic.charAt(t) != '/') {
                    t++;
                }
                f++;
            } else {
                // compare one literal level
                while (f < fl && filter.charAt(f) != '/') {
                    if (t >= tl || topic.charAt(t) != filter.charAt(f)) {
                        return false;
                    }
                    f++;
                    t++;
                }
                if (t < tl && topic.charAt(t) != '/') {
                    return false;
                }
            }
            // both at a level end now
            if (f >= fl) {
                return t >= tl;
            }
            // filter has '/' at f
            if (t >= tl) {
                // topic ended: only "/#" may follow ("a/#" matches "a")
                return f + 2 == fl && filter.charAt(f + 1) == '#';
            }
            f++;
            t++;
        }
        return t >= tl;
    }
}
