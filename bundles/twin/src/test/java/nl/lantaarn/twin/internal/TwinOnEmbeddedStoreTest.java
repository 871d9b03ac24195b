package nl.lantaarn.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.api.TwinStoreException;
import nl.lantaarn.twin.api.WriteCondition;
import nl.lantaarn.twin.internal.store.EmbeddedTwinStoreAccess;
import nl.lantaarn.twin.spi.TwinStore;

/** The twin service on the embedded store, as the hub runs it. */
class TwinOnEmbeddedStoreTest {

    private static final ThingId ID = ThingId.of("nl.demo.safety", "noise-n-7");

    @TempDir
    Path home;

    private Path file() {
        return home.resolve("data/twin/things.mv");
    }

    private static ThingUpdate laeq(double value) {
        return ThingUpdate.merge(ID, JsonObject.of("{\"features\":{\"noise\":{\"properties\":{\"laeq\":" + value + "}}}}"));
    }

    @Test
    void thingsAreStillThereAfterARestart() {
        TwinStore store = EmbeddedTwinStoreAccess.open(file(), 1000);
        TwinServiceComponent twin = new TwinServiceComponent(store);
        twin.apply(laeq(60));
        twin.modify(ID, JsonPointer.of("/attributes/zone"), JsonValue.of("stratumseind"), WriteCondition.any());
        Thing last = twin.apply(laeq(61));
        twin.apply(ThingUpdate.merge(ThingId.of("nl.demo.safety", "gone"), JsonObject.empty()));
        twin.delete(ThingId.of("nl.demo.safety", "gone"), JsonPointer.empty(), WriteCondition.any());
        twin.deactivate();
        EmbeddedTwinStoreAccess.close(store);

        store = EmbeddedTwinStoreAccess.open(file(), 1000);
        twin = new TwinServiceComponent(store);
        try {
            assertThat(twin.list()).containsExactly(last);
            assertThat(twin.retrieve(ID).orElseThrow().getRevision().orElseThrow().toLong()).isEqualTo(3L);
            assertThat(twin.health().detail()).contains("1 things").contains(file().toString());
        } finally {
            twin.deactivate();
            EmbeddedTwinStoreAccess.close(store);
        }
    }

    @Test
    void anUnwritableDataFolderIsReportedAndWritesAreRefusedUntilItIsFixed() throws Exception {
        Path blocker = home.resolve("data");
        Files.writeString(blocker, "not a folder");
        TwinStore store = EmbeddedTwinStoreAccess.open(file(), 1000);
        TwinServiceComponent twin = new TwinServiceComponent(store);
        try {
            ComponentHealth health = twin.health();
            assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
            assertThat(health.detail()).contains(file().getParent().toString()).contains("writable")
                    .contains("etc/nl.lantaarn.twin.store.cfg");
            assertThatThrownBy(() -> twin.apply(laeq(60))).isInstanceOfSatisfying(TwinStoreException.class, e -> {
                assertThat(e.getMessage()).contains(file().getParent().toString());
                assertThat(e.errorCode()).isEqualTo("things:store.unavailable");
            });
            assertThat(twin.size()).isZero();

            Files.delete(blocker);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                try {
                    twin.apply(laeq(61));
                } catch (TwinStoreException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(twin.health().status()).isEqualTo(ComponentHealth.Status.UP);
            assertThat(file()).isRegularFile();
        } finally {
            twin.deactivate();
            EmbeddedTwinStoreAccess.close(store);
        }
    }
}
