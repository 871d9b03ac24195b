package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

import nl.lantaarn.adapter.admin.AdapterState;
import nl.lantaarn.adapter.admin.AdapterStatus;

/**
 * Updating an adapter bundle while its sensors publish loses nothing and maps nothing twice: version 1 of the demo
 * crowd adapter maps part of 10,000 QoS 1 readings, the bundle is updated to version 2 while the rest arrive, and every
 * reading ends as exactly one thing update. The two versions are the demo crowd jar with two Bundle-Versions.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdapterUpgradeIT extends SliceTestSupport {

    private static final String TYPE = "demo-crowd";
    private static final String SYMBOLIC_NAME = "nl.lantaarn.adapters.demo.crowd";
    private static final int READINGS = 10_000;
    /** Readings mapped by version 1 before the update starts. */
    private static final int BEFORE_UPDATE = 2_000;
    /** Readings that must pile up in the inbox while no version is there. */
    private static final int WHILE_AWAY = 500;
    private static final Duration LONG_PATIENCE = Duration.ofMinutes(3);

    private final ExecutorService publisher = Executors.newSingleThreadExecutor();
    private final Adapters adapters = new Adapters(this);
    private Bundle adapter;

    @Configuration
    public Option[] config() {
        return HubTestOptions.embedded(AdapterUpgradeIT.class);
    }

    @After
    public void cleanUp() throws Exception {
        publisher.shutdownNow();
        if (adapter != null && adapter.getState() != Bundle.UNINSTALLED) {
            adapter.uninstall();
        }
    }

    @Test
    public void updatingTheBundleWhileReadingsArriveLosesAndDuplicatesNothing() throws Exception {
        Path jar = HubTestOptions.requiredPath(HubTestOptions.CROWD_ADAPTER);
        assertThat(hub().bundle(SYMBOLIC_NAME)).as("the crowd adapter before this test installs it").isEmpty();

        adapter = hub().context().installBundle("itest:demo-crowd-upgrade", withVersion(jar, "1.0.0"));
        adapter.start();
        await("instance " + TYPE + " RUNNING on version 1").atMost(PATIENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    AdapterStatus status = adapters.status(TYPE);
                    assertThat(status.state()).isEqualTo(AdapterState.RUNNING);
                    assertThat(status.bundle()).isEqualTo(SYMBOLIC_NAME + " 1.0.0");
                });
        mqtt(); // connected before the clock starts
        long updatesBefore = adapters.status(TYPE).thingUpdates();
        long deadLettersBefore = adapters.deadLetters(TYPE);

        String run = "u" + UUID.randomUUID().toString().substring(0, 8);
        CountDownLatch firstPart = new CountDownLatch(1);
        CountDownLatch adapterAway = new CountDownLatch(1);
        Future<?> publishing = publisher.submit(() -> {
            publish(run, 0, BEFORE_UPDATE);
            firstPart.countDown();
            // the rest while the update runs: at least WHILE_AWAY of them while no version is there
            awaitLatch(adapterAway);
            publish(run, BEFORE_UPDATE, READINGS);
            return null;
        });

        assertThat(firstPart.await(LONG_PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("first readings published")
                .isTrue();
        // the framework tells synchronous listeners that the old version STOPPED (its factory is gone) before the new
        // one is installed: that is the window in which readings must be kept
        AtomicReference<AdapterStatus> whileAway = new AtomicReference<>();
        SynchronousBundleListener window = event -> {
            boolean away = event.getType() == BundleEvent.STOPPED || event.getType() == BundleEvent.UPDATED;
            if (event.getBundle().equals(adapter) && away && whileAway.get() == null) {
                adapterAway.countDown();
                await("readings queued while no version of " + TYPE + " is there").atMost(LONG_PATIENCE)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> adapters.status(TYPE).inboxSize() >= WHILE_AWAY);
                whileAway.set(adapters.status(TYPE));
            }
        };
        hub().context().addBundleListener(window);
        try {
            adapter.update(withVersion(jar, "2.0.0"));
        } finally {
            hub().context().removeBundleListener(window);
        }
        publishing.get(LONG_PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(whileAway.get()).as("status while the adapter was away").isNotNull();
        assertThat(whileAway.get().state()).isEqualTo(AdapterState.WAITING);
        assertThat(whileAway.get().inbound()).isEqualTo("mqtt:sim/crowd/+ (qos 1)");

        await("all " + READINGS + " readings applied").atMost(LONG_PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            AdapterStatus status = adapters.status(TYPE);
            assertThat(status.thingUpdates() - updatesBefore).as("%s", status).isGreaterThanOrEqualTo(READINGS);
            assertThat(status.inboxSize()).isZero();
        });
        AdapterStatus after = adapters.status(TYPE);
        assertThat(after.state()).isEqualTo(AdapterState.RUNNING);
        assertThat(after.bundle()).isEqualTo(SYMBOLIC_NAME + " 2.0.0");
        assertThat(after.thingUpdates() - updatesBefore).as("thing updates, one per reading").isEqualTo(READINGS);
        assertThat(adapters.deadLetters(TYPE) - deadLettersBefore).as("dead letters of " + TYPE).isZero();

        // each reading made its own thing exactly once: created at revision 1 and never written again
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < READINGS; i++) {
            String id = "nl.demo.crowd:crowd-" + run + "-" + i;
            long revision = adapters.revision(id);
            long count = adapters.property(id, "crowd", "count");
            if (revision != 1 || count != i) {
                wrong.add(id + " revision " + revision + " count " + count);
            }
        }
        assertThat(wrong).as("things missing, written twice or with the wrong count").isEmpty();
    }

    private void publish(String run, int from, int to) throws Exception {
        // a bounded number in flight, so the client never holds all of them at once
        int window = 200;
        Semaphore inFlight = new Semaphore(window);
        AtomicInteger failed = new AtomicInteger();
        for (int i = from; i < to; i++) {
            inFlight.acquire();
            String id = run + "-" + i;
            mqtt().publishAsync("sim/crowd/" + id, "{\"id\":\"" + id + "\",\"count\":" + i + "}")
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            failed.incrementAndGet();
                        }
                        inFlight.release();
                    });
        }
        if (!inFlight.tryAcquire(window, LONG_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the broker did not acknowledge readings " + from + " to " + to + " in time");
        }
        assertThat(failed).as("publishes the broker did not acknowledge").hasValue(0);
    }

    private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(LONG_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the old version of " + TYPE + " never stopped during the update");
        }
    }

    /** The jar with another Bundle-Version, as a new build of the adapter would have. */
    private static InputStream withVersion(Path jar, String version) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
