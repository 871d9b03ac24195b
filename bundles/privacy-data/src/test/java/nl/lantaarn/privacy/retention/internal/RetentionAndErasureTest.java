package nl.lantaarn.privacy.retention.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.deadletter.internal.FileDeadLetterService;
import nl.lantaarn.durable.DurableQueue;
import nl.lantaarn.durable.DurableStore;
import nl.lantaarn.durable.OutboxPersonalData;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.internal.Histories;
import nl.lantaarn.history.internal.HistoryComponent;
import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataRights.StoreResult;
import nl.lantaarn.things.model.ThingUpdate;
import nl.lantaarn.twin.internal.MemoryTwinStore;
import nl.lantaarn.twin.internal.TwinListeners;
import nl.lantaarn.twin.internal.TwinServiceComponent;

/**
 * Retention and erasure over the real stores: the twin service, the history on its file, the dead letters in their
 * file and an outbox file, with the privacy component's rules. Time is aged by handing the job a later "now".
 */
class RetentionAndErasureTest {

    private static final ThingId NOISE = ThingId.of("nl.test.safety", "noise-0042");
    private static final ThingId REPORT = ThingId.of("nl.test.reports", "report-17");
    private static final String PSEUDONYM = "ps-7f3a9c21";

    @TempDir
    Path home;

    private final TwinServiceComponent twin = new TwinServiceComponent(new MemoryTwinStore());
    private final List<AuditEntry> audited = new ArrayList<>();
    private HistoryComponent history;
    private FileDeadLetterService deadLetters;
    private DurableStore outboxFile;
    private PrivacyDataComponent privacy;

    @AfterEach
    void close() {
        if (outboxFile != null) {
            outboxFile.close();
        }
        if (history != null) {
            Histories.close(history);
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (privacy != null) {
            privacy.deactivate();
        }
        twin.deactivate();
    }

    private void start(Map<String, ?> config) {
        history = Histories.open(home, 365);
        deadLetters = new FileDeadLetterService(home.resolve("data/dead-letters"), 100);
        outboxFile = DurableStore.open(home.resolve("data/routing/outbox.mv"), DurableStore.Options.defaults());
        privacy = new PrivacyDataComponent(twin, Clock.systemUTC(), 30, config);
        TwinListeners.add(twin, history);
        TwinListeners.add(twin, privacy);
        privacy.addStore(history);
        privacy.addStore(deadLetters);
        // the routes' outbox: entries are "<thingId>|<event>" here; the routing bundle reads its own format
        privacy.addStore(new OutboxPersonalData("outbox:routing", () -> outboxFile,
                bytes -> new String(bytes, StandardCharsets.UTF_8).split("\\|")[0],
                bytes -> JsonObject.newBuilder().set("text", new String(bytes, StandardCharsets.UTF_8)).build()
                        .toString()));
        privacy.setAudit(audited::add);
    }

    /** What the adapter runtime writes: the data and the hub's privacy metadata of the feature. */
    private void write(ThingId id, String feature, JsonObject properties, String categories, boolean personal,
            String retention, JsonObject attributes) {
        JsonObject metadata = JsonObject.of("{\"adapter\":\"test\",\"categories\":" + categories
                + ",\"personalData\":" + personal + ",\"retention\":\"" + retention + "\"}");
        twin.apply(ThingUpdate.merge(id, JsonObject.newBuilder()
                .set("attributes", attributes.setValue(JsonPointer.of("/privacy/features/" + feature), metadata))
                .set("features", JsonObject.newBuilder().set(feature, JsonObject.newBuilder()
                        .set("properties", properties).build()).build())
                .build()));
    }

    private void seed() throws Exception {
        write(NOISE, "noise", JsonObject.of("{\"laeq\":61.5}"), "[\"sound-level\"]", false, "P30D",
                JsonObject.of("{\"adapter\":\"demo-noise\"}"));
        write(REPORT, "report", JsonObject.of("{\"status\":\"open\",\"text\":\"broken lamp\"}"),
                "[\"citizen-report\",\"reporter-pseudonym\"]", true, "P365D",
                JsonObject.of("{\"reporter\":\"" + PSEUDONYM + "\"}"));
        deadLetters.record("demo-noise", "sim/noise/noise-0042", "laeq missing", "{}".getBytes(StandardCharsets.UTF_8),
                Instant.now());
        deadLetters.record("citizen-reports", "/ingest/open311", "no service_code",
                ("{\"reporter\":\"" + PSEUDONYM + "\"}").getBytes(StandardCharsets.UTF_8), Instant.now());
        DurableQueue queue = outboxFile.queue("noise-alerts", 100);
        queue.append((NOISE + "|laeq 61.5").getBytes(StandardCharsets.UTF_8));
        queue.append((REPORT + "|report by " + PSEUDONYM).getBytes(StandardCharsets.UTF_8));
        queue.awaitCommitted(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(points(NOISE, "noise", "/laeq"))
                .isEqualTo(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(points(REPORT, "report", "/status"))
                .isEqualTo(1));
    }

    private int points(ThingId id, String feature, String property) {
        return history.query(HistoryQuery.of(id, feature, JsonPointer.of(property), Instant.EPOCH,
                Instant.now().plus(Duration.ofDays(1)))).points().size();
    }

    private static long removed(List<StoreResult> results, String store) {
        return results.stream().filter(r -> r.store().equals(store)).peek(r -> assertThat(r.error()).isNull())
                .mapToLong(StoreResult::count).sum();
    }

    @Test
    void agedDataIsGoneFromTwinHistoryDeadLettersAndOutboxAtTheRetentionOfItsCategories() throws Exception {
        // the operator keeps citizen reports 60 days, shorter than the manifest's 365
        start(Map.of("retention.citizen-report", "60"));
        seed();
        assertThat(privacy.stores()).containsExactly("twin", "history", "dead-letters", "outbox:routing");

        // ten days on, nothing is due
        List<StoreResult> early = privacy.expire(Instant.now().plus(Duration.ofDays(10)));
        assertThat(early).allSatisfy(r -> assertThat(r.count()).as(r.store()).isZero());

        // 31 days on: the noise data (30 days) is gone everywhere, the report (60 days by its category) stays
        List<StoreResult> month = privacy.expire(Instant.now().plus(Duration.ofDays(31)));
        assertThat(removed(month, "twin")).isEqualTo(1);
        assertThat(twin.retrieve(NOISE).orElseThrow().getFeatures().orElseThrow().getFeature("noise").orElseThrow()
                .getProperties()).isEmpty();
        assertThat(points(NOISE, "noise", "/laeq")).isZero();
        // dead letters of sources without an adapter manifest (none runs here) keep the 30-day default
        assertThat(deadLetters.count()).isZero();
        assertThat(outboxFile.queue("noise-alerts", 100).size()).isEqualTo(1);
        assertThat(twin.retrieve(REPORT)).isPresent();
        assertThat(points(REPORT, "report", "/status")).isEqualTo(1);

        // 61 days on: the report is expired, and as all of its data is personal the whole thing goes
        List<StoreResult> later = privacy.expire(Instant.now().plus(Duration.ofDays(61)));
        assertThat(removed(later, "twin")).isEqualTo(1);
        assertThat(twin.retrieve(REPORT)).isEmpty();
        assertThat(points(REPORT, "report", "/status")).isZero();
        assertThat(outboxFile.queue("noise-alerts", 100).size()).isZero();
        assertThat(privacy.health().detail()).contains("last run").contains("outbox:routing");
    }

    @Test
    void anErasureOfAPseudonymLeavesNothingInAnyStoreAndIsAudited() throws Exception {
        start(Map.of());
        seed();
        DataSubject subject = DataSubject.pseudonym(PSEUDONYM);
        Map<String, List<String>> before = privacy.export(subject, "privacy-officer");
        assertThat(before.get("twin")).singleElement().asString().contains(PSEUDONYM).contains("report-17");
        // the report's history never saw the pseudonym, but the report is the reporter's: its series are linked
        assertThat(before.get("history")).hasSize(2);
        assertThat(before.get("dead-letters")).hasSize(1);
        assertThat(before.get("outbox:routing")).hasSize(1);

        List<StoreResult> erased = privacy.erase(subject, "privacy-officer");

        assertThat(erased).allSatisfy(r -> assertThat(r.error()).isNull());
        assertThat(privacy.export(subject, "privacy-officer")).allSatisfy((store, items) ->
                assertThat(items).as(store).isEmpty());
        assertThat(twin.retrieve(REPORT)).isEmpty();
        assertThat(points(REPORT, "report", "/status")).isZero();
        // the noise sensor's data is not linked to the pseudonym and stays
        assertThat(points(NOISE, "noise", "/laeq")).isEqualTo(1);
        assertThat(audited).extracting(AuditEntry::kind).containsExactly(AuditKind.EXPORT, AuditKind.ERASURE,
                AuditKind.EXPORT);
        AuditEntry erasure = audited.get(1);
        assertThat(erasure.actor()).isEqualTo("privacy-officer");
        assertThat(erasure.outcome()).isEqualTo("erased");
        assertThat(erasure.detail()).startsWith("pseudonym " + PSEUDONYM + "; things " + REPORT)
                .contains("dead-letters 1");
    }

    @Test
    void anErasureOfAThingRemovesItEverywhere() throws Exception {
        start(Map.of());
        seed();
        DataSubject subject = DataSubject.thing(NOISE.toString());

        privacy.erase(subject, "operator");

        assertThat(twin.retrieve(NOISE)).isEmpty();
        assertThat(points(NOISE, "noise", "/laeq")).isZero();
        // found by the device name in the vendor's topic
        assertThat(deadLetters.list(null, 10)).extracting(l -> l.source()).containsExactly("citizen-reports");
        assertThat(outboxFile.queue("noise-alerts", 100).size()).isEqualTo(1);
        assertThat(privacy.export(subject, "operator")).allSatisfy((store, items) -> assertThat(items).isEmpty());
        assertThat(audited.get(0).thingId()).isEqualTo(NOISE.toString());
    }
}
