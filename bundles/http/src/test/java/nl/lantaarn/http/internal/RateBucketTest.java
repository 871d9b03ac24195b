package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The token bucket and the buckets of clients and addresses, on a clock the test moves. */
class RateBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAdmitsTheBurstThenOneRequestPerInterval() {
        long now = 42 * SECOND;
        RateBucket bucket = new RateBucket(new RateLimit(2, 3), now);
        assertThat(bucket.take(now)).isZero();
        assertThat(bucket.take(now)).isZero();
        assertThat(bucket.take(now)).isZero();
        // 2 per second: the next token is there in half a second
        assertThat(bucket.take(now)).isEqualTo(SECOND / 2);
        assertThat(bucket.take(now + SECOND / 4)).isEqualTo(SECOND / 4);
        assertThat(bucket.take(now + SECOND / 2)).isZero();
        assertThat(bucket.take(now + SECOND / 2)).isEqualTo(SECOND / 2);
        assertThat(bucket.isFull(now + SECOND / 2)).isFalse();
        // after a quiet spell it is full again, never fuller
        assertThat(bucket.isFull(now + 2 * SECOND)).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.take(now + 10 * SECOND)).isZero();
        }
        assertThat(bucket.take(now + 10 * SECOND)).isPositive();
    }

    @Test
    void slowRatesAndTheWrapOfNanoTimeWork() {
        // nanoTime may be near its end and wrap: differences stay right
        long now = Long.MAX_VALUE - SECOND;
        RateBucket bucket = new RateBucket(new RateLimit(0.5, 1), now);
        assertThat(bucket.take(now)).isZero();
        assertThat(bucket.take(now)).isEqualTo(2 * SECOND);
        long later = now + 2 * SECOND; // wrapped to a negative value
        assertThat(later).isNegative();
        assertThat(bucket.take(later)).isZero();
        assertThat(bucket.take(later)).isEqualTo(2 * SECOND);
    }

    @Test
    void clientsHaveBucketsOfTheirOwnAndTheirOwnLimits() {
        long now = 0;
        RateLimiter limiter = new RateLimiter(new RateLimit(1, 2), new RateLimit(1, 1), 10, now);
        limiter.overrides(Map.of("tight", new RateLimit(1, 1)));
        assertThat(limiter.client("tight", now)).isZero();
        assertThat(limiter.client("tight", now)).isPositive();
        assertThat(limiter.client("roomy", now)).isZero();
        assertThat(limiter.client("roomy", now)).isZero();
        assertThat(limiter.client("roomy", now)).isPositive();
        assertThat(limiter.limitOf("tight")).isEqualTo(new RateLimit(1, 1));
        assertThat(limiter.limitOf("roomy")).isEqualTo(new RateLimit(1, 2));
        // a changed limit starts a new, full bucket; an unchanged one keeps its state
        limiter.overrides(Map.of("tight", new RateLimit(5, 5)));
        assertThat(limiter.client("tight", now)).isZero();
        assertThat(limiter.client("roomy", now)).isPositive();
    }

    @Test
    void addressesBeyondTheBoundShareOneBucketUntilOldOnesAreFull() {
        long now = 0;
        RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), new RateLimit(1, 1), 2, now);
        assertThat(limiter.anonymous("10.0.0.1", now)).isZero();
        assertThat(limiter.anonymous("10.0.0.2", now)).isZero();
        assertThat(limiter.anonymous("10.0.0.1", now)).isPositive();
        // two addresses held: a third shares the overflow bucket
        assertThat(limiter.isShared("10.0.0.3")).isTrue();
        assertThat(limiter.anonymous("10.0.0.3", now)).isZero();
        assertThat(limiter.anonymous("10.0.0.4", now)).isPositive();
        assertThat(limiter.addresses()).isEqualTo(2);
        // a second later the held buckets are full again, so they make room
        assertThat(limiter.anonymous("10.0.0.4", now + SECOND)).isZero();
        assertThat(limiter.isShared("10.0.0.4")).isFalse();
        assertThat(limiter.addresses()).isEqualTo(1);
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        assertThat(RateLimiter.addressKey("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(RateLimiter.addressKey("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2::/64");
        assertThat(RateLimiter.addressKey("[2001:db8:1:2:ffff:4:5:6]")).isEqualTo("2001:db8:1:2::/64");
        assertThat(RateLimiter.addressKey("2001:db8::1")).isEqualTo("2001:db8::1");
        long now = 0;
        RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), new RateLimit(1, 1), 10, now);
        assertThat(limiter.anonymous("2001:db8:1:2:0:0:0:1", now)).isZero();
        assertThat(limiter.anonymous("2001:db8:1:2:0:0:0:2", now)).isPositive();
        assertThat(limiter.anonymous("2001:db8:1:3:0:0:0:1", now)).isZero();
    }

    @Test
    void limitsAreCheckedAndDescribed() {
        assertThat(new RateLimit(50, 100).describe()).isEqualTo("50 requests per second (bursts of up to 100)");
        assertThat(new RateLimit(0.5, 1).describe()).isEqualTo("0.5 requests per second (bursts of up to 1)");
        assertThat(RateLimit.perSecond("rateLimit", " ")).isNull();
        assertThat(RateLimit.perSecond("rateLimit", "2.5")).isEqualTo(2.5);
        assertThat(RateLimit.burst("rateBurst", "7")).isEqualTo(7);
        assertThatThrownBy(() -> RateLimit.perSecond("rateLimit", "fast")).hasMessageContaining("'rateLimit'")
                .hasMessageContaining("was 'fast'");
        assertThatThrownBy(() -> RateLimit.perSecond("rateLimit", "0")).hasMessageContaining("from 0.001");
        assertThatThrownBy(() -> RateLimit.burst("rateBurst", "1.5")).hasMessageContaining("'rateBurst'")
                .hasMessageContaining("whole number");
    }

    @Test
    void aClientFileMayCarryItsOwnLimitAndABadOneIsAProblem() {
        ClientFile own = TestClients.client("partner", "reader", "k", "5", "");
        assertThat(own.problems()).isEmpty();
        assertThat(own.hasRateLimit()).isTrue();
        assertThat(own.rateLimit(new RateLimit(100, 200))).isEqualTo(new RateLimit(5, 200));
        ClientFile none = TestClients.client("plain", "reader", "k2");
        assertThat(none.hasRateLimit()).isFalse();
        assertThat(none.rateLimit(new RateLimit(100, 200))).isEqualTo(new RateLimit(100, 200));
        ClientFile bad = TestClients.client("typo", "reader", "k3", "lots", "-1");
        assertThat(bad.entry()).isEmpty();
        assertThat(bad.problems()).anySatisfy(problem -> assertThat(problem).contains("'rateLimit'")
                .contains("'lots'")).anySatisfy(problem -> assertThat(problem).contains("'rateBurst'"));
        ClientFile reserved = TestClients.client("anonymous", "reader", "k4");
        assertThat(reserved.entry()).isEmpty();
        assertThat(reserved.problems()).anySatisfy(problem -> assertThat(problem).contains("must not be 'anonymous'"));
    }
}
