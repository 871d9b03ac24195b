package nl.lantaarn.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

class RecentThingsTest {

    private static final Thing THING = ThingsModelFactory.newThingBuilder().setId(org.eclipse.ditto.things.model.ThingId.of("nl.demo.safety:n-1")).build();

    private static HeldThing cached() {
        return HeldThing.of("{}", 1, THING);
    }

    @Test
    void keepsAtMostItsCapacityOfParsedThings() {
        RecentThings recent = new RecentThings(3);
        List<HeldThing> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HeldThing held = cached();
            all.add(held);
            recent.add(held);
        }
        assertThat(all.stream().filter(held -> held.cached() != null)).hasSize(3);
        assertThat(all.subList(7, 10)).allSatisfy(held -> assertThat(held.cached()).isSameAs(THING));
    }

    @Test
    void aThingReadSinceTheHandPassedGetsASecondChance() {
        RecentThings recent = new RecentThings(2);
        HeldThing hot = cached();
        recent.add(hot);
        recent.add(cached());
        for (int i = 0; i < 6; i++) {
            assertThat(hot.cached()).as("read %d", i).isSameAs(THING); // marks it used
            recent.add(cached());
        }
    }

    @Test
    void capacityZeroKeepsNone() {
        HeldThing held = cached();
        new RecentThings(0).add(held);
        assertThat(held.cached()).isNull();
    }
}
