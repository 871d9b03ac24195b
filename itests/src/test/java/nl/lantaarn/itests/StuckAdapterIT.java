package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.health.api.ComponentHealth;

/**
 * Isolation of adapter instances in the distribution: an adapter stuck in its map call is shown DEGRADED with the
 * reason while another one maps all its readings, and a configuration an adapter refuses fails only its own instance.
 * The adapter types are factories the test registers itself ({@link TestAdapterFactory}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StuckAdapterIT extends SliceTestSupport {

    private static final int READINGS = 500;
    private static final Duration LONG_PATIENCE = Duration.ofMinutes(2);

    private final CountDownLatch release = new CountDownLatch(1);
    private final Adapters adapters = new Adapters(this);

    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(StuckAdapterIT.class);
    }

    @After
    public void unregister() {
        release.countDown();
        adapters.unregisterAll();
    }

    @Test
    public void aStuckAdapterIsDegradedWhileAnotherMapsEverything() {
        adapters.register("itest-stuck", "itest/stuck/+", release); // stuck until the test ends
        adapters.register("itest-healthy", "itest/healthy/+", null);
        await("both instances RUNNING").atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            assertThat(adapters.status("itest-stuck").state()).isEqualTo(AdapterState.RUNNING);
            assertThat(adapters.status("itest-healthy").state()).isEqualTo(AdapterState.RUNNING);
        });

        for (int i = 0; i < 5; i++) {
            mqtt().publish("itest/stuck/s-" + i, "{\"count\":" + i + "}");
        }
        for (int i = 0; i < READINGS; i++) {
            mqtt().publish("itest/healthy/h-" + i, "{\"count\":" + i + "}");
        }

        await("all " + READINGS + " readings of the healthy adapter applied").atMost(LONG_PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(adapters.status("itest-healthy").thingUpdates()).isEqualTo(READINGS));
        for (int i = 0; i < READINGS; i++) {
            assertThat(adapters.property("nl.itest.crowd:h-" + i, "crowd", "count")).as("count of h-%d", i)
                    .isEqualTo(i);
        }
        await("the stuck adapter DEGRADED with the reason").atMost(LONG_PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    AdapterStatus stuck = adapters.status("itest-stuck");
                    assertThat(stuck.state()).isEqualTo(AdapterState.DEGRADED);
                    assertThat(stuck.reason()).contains("a map call has been running for").contains("may be stuck");
                    assertThat(stuck.received()).isEqualTo(5);
                });
        assertThat(adapters.status("itest-healthy").state()).isEqualTo(AdapterState.RUNNING);
        ComponentHealth health = adapters.health();
        assertThat(health.status()).as("%s", health).isEqualTo(ComponentHealth.Status.DEGRADED);
        assertThat(health.detail()).contains("itest-stuck DEGRADED (a map call has been running for");

        release.countDown();
        await("the stuck adapter RUNNING again once its call returned").atMost(LONG_PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    AdapterStatus stuck = adapters.status("itest-stuck");
                    assertThat(stuck.state()).isEqualTo(AdapterState.RUNNING);
                    assertThat(stuck.mapped()).isEqualTo(5);
                });
    }

    @Test
    public void aConfigurationTheAdapterRefusesFailsOnlyItsInstance() throws Exception {
        adapters.register("itest-configured", "itest/configured/+", null);
        var configurationAdmin = adapters.service(org.osgi.service.cm.ConfigurationAdmin.class);
        var north = configurationAdmin.getFactoryConfiguration("nl.lantaarn.adapter.itest-configured", "north", "?");
        north.update(new Hashtable<>(Map.of("topic", "itest/north/+", "limit", "many")));
        // a file in etc/, as an operator adds one: FileInstall reads it within a second
        Path file = hub().home().resolve("etc").resolve("nl.lantaarn.adapter.itest-configured~east.cfg");
        Files.writeString(file, "topic = itest/east/+\n");
        try {
            await("itest-configured.north FAILED naming the field").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> {
                        AdapterStatus status = adapters.status("itest-configured.north");
                        assertThat(status.state()).isEqualTo(AdapterState.FAILED);
                        assertThat(status.reason())
                                .isEqualTo("configuration: limit: must be a whole number, was 'many'");
                    });
            await("itest-configured.east RUNNING from its file").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> {
                        AdapterStatus status = adapters.status("itest-configured.east");
                        assertThat(status.state()).isEqualTo(AdapterState.RUNNING);
                        assertThat(status.inbound()).isEqualTo("mqtt:itest/east/+ (qos 1)");
                    });
            // with configurations there, the default instance is gone
            assertThat(adapters.admin().status("itest-configured")).isEmpty();
            adapters.publishUntilThing("itest/east/e-1", "{\"count\":3}", "nl.itest.crowd:e-1");

            north.update(new Hashtable<>(Map.of("topic", "itest/north/+", "limit", "7")));
            await("itest-configured.north RUNNING once fixed").atMost(PATIENCE).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(adapters.status("itest-configured.north").state())
                            .isEqualTo(AdapterState.RUNNING));
            assertThat(adapters.status("itest-configured.east").state()).isEqualTo(AdapterState.RUNNING);
        } finally {
            north.delete();
            Files.deleteIfExists(file);
        }
        await("the default instance back once the configurations are gone").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(adapters.admin().list()).extracting(AdapterStatus::id)
                        .contains("itest-configured")
                        .doesNotContain("itest-configured.north", "itest-configured.east"));
    }
}
