package nl.lantaarn.http.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token buckets of the API: one per client (its own limit when its client file sets one, else the default) and
 * one per remote address for requests without a known key (IPv6 addresses by their /64, which one host usually has
 * whole). A bucket is made on a client's first request and then only looked up: no lock, no allocation.
 * <p>
 * Addresses come and go, so their buckets are bounded: when {@code maxAddresses} are held, the full ones (which are
 * the same as new ones) are dropped, at most once a second; if none is full, the addresses beyond the bound share
 * one bucket until some are.
 */
final class RateLimiter {

    private static final long SWEEP_INTERVAL = 1_000_000_000L;

    private final RateLimit clientDefault;
    private final RateLimit anonymous;
    private final int maxAddresses;
    private final Map<String, RateBucket> clients = new ConcurrentHashMap<>();
    private final Map<String, RateBucket> addresses = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;
    private final RateBucket shared;
    private volatile Map<String, RateLimit> overrides = Map.of();

    RateLimiter(RateLimit clientDefault, RateLimit anonymous, int maxAddresses, long now) {
        this.clientDefault = clientDefault;
        this.anonymous = anonymous;
        this.maxAddresses = maxAddresses;
        this.shared = new RateBucket(anonymous, now);
        this.lastSweep = new AtomicLong(now - SWEEP_INTERVAL);
    }

    RateLimit clientDefault() {
        return clientDefault;
    }

    RateLimit anonymous() {
        return anonymous;
    }

    int maxAddresses() {
        return maxAddresses;
    }

    /** The limit of one client: its own, or the default. */
    RateLimit limitOf(String client) {
        return overrides.getOrDefault(client, clientDefault);
    }

    /**
     * The clients' own limits (by client name), replacing the ones before. A client whose limit changed starts with
     * a new (full) bucket.
     */
    void overrides(Map<String, RateLimit> byClient) {
        overrides = Map.copyOf(byClient);
        clients.entrySet().removeIf(entry -> !entry.getValue().limit().equals(limitOf(entry.getKey())));
    }

    /**
     * Takes a token from the client's bucket.
     *
     * @return 0 when the request may go ahead; otherwise the nanoseconds until it could
     */
    long client(String name, long now) {
        RateBucket bucket = clients.get(name);
        if (bucket == null) {
            bucket = clients.computeIfAbsent(name, key -> new RateBucket(limitOf(key), now));
        }
        return bucket.take(now);
    }

    /** As {@link #client}, for a request without a known key from this remote address. */
    long anonymous(String remoteAddress, long now) {
        return bucketOf(addressKey(remoteAddress), now).take(now);
    }

    /** Whether requests from this address now share the one bucket of addresses beyond {@code maxAddresses}. */
    boolean isShared(String remoteAddress) {
        return !addresses.containsKey(addressKey(remoteAddress));
    }

    private RateBucket bucketOf(String key, long now) {
        RateBucket bucket = addresses.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (addresses.size() >= maxAddresses) {
            sweep(now);
            if (addresses.size() >= maxAddresses) {
                return shared;
            }
        }
        return addresses.computeIfAbsent(key, ignored -> new RateBucket(anonymous, now));
    }

    /** Drops the full buckets of addresses, at most once a second (a crowd of new addresses must not make it busy). */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last >= SWEEP_INTERVAL && lastSweep.compareAndSet(last, now)) {
            addresses.values().removeIf(bucket -> bucket.isFull(now));
        }
    }

    /** Held address buckets, for tests. */
    int addresses() {
        return addresses.size();
    }

    /**
     * The bucket key of an address: an IPv4 address as it is, an IPv6 address by its first four groups (its /64).
     * Servlet containers give the full, uncompressed form; a compressed one ({@code ::}) is kept whole.
     */
    static String addressKey(String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        int start = address.charAt(0) == '[' ? 1 : 0;
        if (address.indexOf(':') < 0 || address.contains("::")) {
            return address;
        }
        int colons = 0;
        for (int i = start; i < address.length(); i++) {
            if (address.charAt(i) == ':' && ++colons == 4) {
                return address.substring(start, i) + "::/64";
            }
        }
        return address;
    }
}
