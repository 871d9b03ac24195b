package nl.lantaarn.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriptionsTest {

    private final Subscriptions subscriptions = new Subscriptions();

    @Test
    void theBrokerSeesOneSubscriptionPerFilterAtTheHighestQos() {
        Subscriptions.Handle first = new Subscriptions.Handle("a/+", (t, p) -> { });
        Subscriptions.Handle second = new Subscriptions.Handle("a/+", (t, p) -> { });
        Subscriptions.Handle third = new Subscriptions.Handle("a/+", (t, p) -> { });

        assertThat(subscriptions.add(first, 1)).isEqualTo(new Subscriptions.Change(true, 1));
        assertThat(subscriptions.add(second, 0)).isEqualTo(new Subscriptions.Change(false, 1));
        assertThat(subscriptions.add(third, 2)).isEqualTo(new Subscriptions.Change(true, 2));

        assertThat(subscriptions.remove(first)).isFalse();
        assertThat(subscriptions.remove(first)).isFalse();
        assertThat(subscriptions.remove(second)).isFalse();
        assertThat(subscriptions.remove(third)).isTrue();
        assertThat(subscriptions.filterCount()).isZero();
    }

    @Test
    void everyMatchingHandlerGetsItsOwnPayloadAndABrokenOneStopsNobody() {
        List<String> seen = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        subscriptions.add(new Subscriptions.Handle("lamp/42/noise", (t, p) -> {
            seen.add("exact " + t);
            payloads.add(p);
        }), 1);
        subscriptions.add(new Subscriptions.Handle("lamp/#", (t, p) -> {
            throw new IllegalStateException("broken handler");
        }), 1);
        subscriptions.add(new Subscriptions.Handle("lamp/+/noise", (t, p) -> {
            seen.add("wildcard " + t);
            payloads.add(p);
        }), 1);
        subscriptions.add(new Subscriptions.Handle("lamp/+/crowd", (t, p) -> seen.add("other " + t)), 1);

        subscriptions.dispatch("lamp/42/noise", () -> new byte[] {7});
        subscriptions.dispatch("lamp/42/noise", () -> new byte[] {8});

        assertThat(seen).containsExactly("exact lamp/42/noise", "wildcard lamp/42/noise", "exact lamp/42/noise",
                "wildcard lamp/42/noise");
        assertThat(payloads.get(0)).isNotSameAs(payloads.get(1));
    }
}
