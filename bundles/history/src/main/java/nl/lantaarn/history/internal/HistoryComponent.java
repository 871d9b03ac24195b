package nl.lantaarn.history.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.ditto.things.model.Thing;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.runtime.api.HubHome;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.history.api.HistoryQuery;
import nl.lantaarn.history.api.HistoryResult;
import nl.lantaarn.history.api.HistoryService;
import nl.lantaarn.history.api.HistoryUnavailableException;
import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataStore;
import nl.lantaarn.personaldata.api.RetentionRules;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;

/**
 * Records every feature property change of the twin as a time series and answers history queries.
 * <p>
 * As a {@link TwinEventListener} it runs on the twin's dispatcher thread for this listener, so recording never delays a
 * twin write; each change is put into the store's maps in memory and the store's background writer commits them in
 * batches. A background job removes points past their retention, at start and then every interval. When the store
 * cannot be opened or written, the component stays up, counts what it could not record and reports it through health
 * ({@code history}).
 */
@Component(service = {TwinEventListener.class, HistoryService.class, HealthContributor.class,
        PersonalDataStore.class},
        configurationPid = HistoryComponent.PID)
@Designate(ocd = HistoryComponent.Config.class)
public final class HistoryComponent implements TwinEventListener, HistoryService, HealthContributor,
        PersonalDataStore {

    static final String PID = "nl.lantaarn.history";

    @ObjectClassDefinition(name = "Lantaarn history",
            description = "Time series of every feature property change, and how long they are kept. Retention per "
                    + "feature definition: retention.<definition> = <days>, where <definition> is the definition's "
                    + "name (NoiseLevelObserved) or its full identifier; the six city capabilities are listed here, "
                    + "any other definition can be given the same way.")
    public @interface Config {

        @AttributeDefinition(name = "File", description = "The history store (H2 MVStore); relative to the hub home.")
        String file() default "data/history/history.mv";

        @AttributeDefinition(name = "Retention (days)", min = "1", max = "36500",
                description = "How long points are kept unless their feature's definition has a retention of its own.")
        int retentionDays() default 30;

        @AttributeDefinition(name = "Retention of NoiseLevelObserved (days)", min = "0", max = "36500", required = false,
                description = "0: Retention (days).")
        int retention_NoiseLevelObserved() default 0;

        @AttributeDefinition(name = "Retention of CrowdFlowObserved (days)", min = "0", max = "36500", required = false,
                description = "0: Retention (days).")
        int retention_CrowdFlowObserved() default 0;

        @AttributeDefinition(name = "Retention of Streetlight (days)", min = "0", max = "36500", required = false,
                description = "0: Retention (days).")
        int retention_Streetlight() default 0;

        @AttributeDefinition(name = "Retention of TrafficFlowObserved (days)", min = "0", max = "36500",
                required = false, description = "0: Retention (days).")
        int retention_TrafficFlowObserved() default 0;

        @AttributeDefinition(name = "Retention of AirQualityObserved (days)", min = "0", max = "36500",
                required = false, description = "0: Retention (days).")
        int retention_AirQualityObserved() default 0;

        @AttributeDefinition(name = "Retention of IssueReporting (days)", min = "0", max = "36500", required = false,
                description = "0: Retention (days).")
        int retention_IssueReporting() default 0;

        @AttributeDefinition(name = "Retention job interval (minutes)", min = "1", max = "10080",
                description = "How often points past their retention are removed; also once at start.")
        int retentionIntervalMinutes() default 60;

        @AttributeDefinition(name = "Commit interval (ms)", min = "100", max = "60000",
                description = "How often recorded changes are written to the file, in one batch. A crash loses at "
                        + "most the changes of the last interval.")
        int commitIntervalMillis() default 1000;
    }

    /** The settings in effect, from a configuration. */
    record Settings(Path file, RetentionPolicy retention, int retentionIntervalMinutes, int commitIntervalMillis) {

        static Settings of(Path home, Config config, Map<String, ?> properties) {
            return new Settings(home.resolve(config.file()).normalize(),
                    RetentionPolicy.of(PID, config.retentionDays(), properties),
                    Math.max(1, config.retentionIntervalMinutes()),
                    Math.max(100, Math.min(60_000, config.commitIntervalMillis())));
        }
    }

    /** The outcome of one run of the retention job. */
    record RetentionRun(Instant at, long removed, String error) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(HistoryComponent.class);

    private final Path home;
    private final Clock clock;
    private final ScheduledExecutorService retentionExecutor;
    private final LongAdder recorded = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private volatile Settings settings;
    private volatile HistoryStore store;
    private volatile String storeError;
    private volatile String backgroundError;
    private volatile String lastLoss;
    private volatile boolean failing;
    private volatile boolean closed;
    private volatile RetentionRun lastRun;
    private ScheduledFuture<?> retentionTask;

    @Activate
    public HistoryComponent(BundleContext context, Config config, Map<String, Object> properties) {
        this(HubHome.of(context), Settings.of(HubHome.of(context), config, properties), Clock.systemUTC(), true);
    }

    /**
     * @param scheduleRetention whether to run the retention job at start and every interval; tests call
     *                          {@link #runRetention()} themselves
     */
    HistoryComponent(Path home, Settings settings, Clock clock, boolean scheduleRetention) {
        this.home = home;
        this.clock = clock;
        this.settings = settings;
        this.retentionExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "history-retention");
            thread.setDaemon(true);
            return thread;
        });
        openStore(settings);
        settings.retention().problems().forEach(problem -> LOG.warn("History configuration: {}", problem));
        if (scheduleRetention) {
            schedule(settings.retentionIntervalMinutes());
        }
        LOG.debug("History in {} ({}), retention {}", settings.file(), store == null ? "not open" : "open",
                settings.retention());
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        apply(Settings.of(home, config, properties));
    }

    /** Applies changed settings without unregistering, so no twin event is missed. */
    synchronized void apply(Settings next) {
        Settings previous = settings;
        settings = next;
        if (!next.file().equals(previous.file())) {
            HistoryStore old = store;
            openStore(next);
            if (old != null) {
                old.close();
            }
        } else if (next.commitIntervalMillis() != previous.commitIntervalMillis() && store != null) {
            store.commitInterval(next.commitIntervalMillis());
        }
        if (!next.retention().problems().equals(previous.retention().problems())) {
            next.retention().problems().forEach(problem -> LOG.warn("History configuration: {}", problem));
        }
        if (retentionTask != null && (next.retentionIntervalMinutes() != previous.retentionIntervalMinutes()
                || !next.retention().toString().equals(previous.retention().toString()))) {
            retentionTask.cancel(false);
            schedule(next.retentionIntervalMinutes());
        }
        LOG.debug("History settings changed: {}, retention {}", next.file(), next.retention());
    }

    private void openStore(Settings settings) {
        backgroundError = null;
        try {
            store = HistoryStore.open(settings.file(), settings.commitIntervalMillis(), (thread, error) -> {
                backgroundError = error.toString();
                LOG.error("Cannot write the history store {}: {}; history is not recorded until the hub is restarted "
                        + "with space and write access there, or 'file' in etc/{}.cfg is changed", settings.file(),
                        error.toString(), PID);
            });
            storeError = null;
        } catch (HistoryUnavailableException e) {
            store = null;
            storeError = e.getMessage();
            LOG.error("{}", e.getMessage());
        }
    }

    private void schedule(int intervalMinutes) {
        retentionTask = retentionExecutor.scheduleWithFixedDelay(this::runRetentionLogged, 0, intervalMinutes,
                TimeUnit.MINUTES);
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        retentionExecutor.shutdownNow();
        try {
            // a purge in progress stops between two series
            retentionExecutor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        HistoryStore current = store;
        if (current != null) {
            current.close();
        }
        LOG.debug("History closed: {} changes recorded, {} not recorded", recorded.sum(), lost.sum());
    }

    @Override
    public void onTwinEvent(TwinEvent event) {
        List<PropertyChanges.Change> changes = PropertyChanges.of(event.event());
        if (changes.isEmpty()) {
            return;
        }
        HistoryStore current = store;
        if (closed) {
            // stopping: the twin hands over what was queued for this listener; nothing can be stored any more
            lost.add(changes.size());
            LOG.debug("History is stopping; {} property changes of {} not recorded", changes.size(), event);
            return;
        }
        if (current == null) {
            lose(changes.size(), storeError);
            return;
        }
        Thing thing = event.thing();
        String thingId = event.thingId().toString();
        Instant time = event.event().getTimestamp().or(thing::getModified).orElseGet(clock::instant);
        long revision = event.revision();
        String feature = null;
        String definition = "";
        int done = 0;
        try {
            for (PropertyChanges.Change change : changes) {
                if (!change.feature().equals(feature)) {
                    feature = change.feature();
                    definition = PropertyChanges.definition(thing, feature);
                }
                current.record(thingId, feature, change.property(), definition, time, revision, change.value());
                done++;
            }
        } catch (RuntimeException e) {
            recorded.add(done);
            lose(changes.size() - done, e.toString());
            return;
        }
        recorded.add(done);
        if (failing) {
            failing = false;
            LOG.warn("History is recorded again in {}", current.file());
        }
    }

    private void lose(int count, String reason) {
        lost.add(count);
        lastLoss = reason;
        if (!failing) {
            failing = true;
            LOG.warn("Cannot record history: {}; property changes not recorded are counted in /api/v1/health", reason);
        }
    }

    @Override
    public HistoryResult query(HistoryQuery query) {
        HistoryStore current = store;
        if (current == null) {
            throw new HistoryUnavailableException(storeError);
        }
        return current.query(query);
    }

    /** One run of the retention job, at the clock's now. */
    RetentionRun runRetention() {
        HistoryStore current = store;
        Instant now = clock.instant();
        if (current == null || !current.isOpen()) {
            return new RetentionRun(now, 0, null);
        }
        RetentionPolicy policy = settings.retention();
        long removed = current.purge(policy, now);
        RetentionRun run = new RetentionRun(now, removed, null);
        lastRun = run;
        LOG.debug("History retention ({}): {} points removed", policy, removed);
        return run;
    }

    private void runRetentionLogged() {
        try {
            RetentionRun previous = lastRun;
            runRetention();
            if (previous != null && previous.error() != null) {
                LOG.warn("History retention runs again");
            }
        } catch (RuntimeException e) {
            RetentionRun previous = lastRun;
            lastRun = new RetentionRun(clock.instant(), 0, e.toString());
            if (previous == null || previous.error() == null) {
                LOG.warn("History retention failed: {}; it is tried again at the next interval", e.toString(), e);
            }
        }
    }

    // ---------------------------------------------------------------- personal data: retention, erasure, export

    @Override
    public String name() {
        return "history";
    }

    /**
     * Removes points past the shorter of this component's retention (by feature definition) and the retention of the
     * data categories the adapter declared for the feature.
     */
    @Override
    public long expire(RetentionRules rules, Instant now) {
        HistoryStore current = store;
        if (current == null || !current.isOpen()) {
            throw new HistoryUnavailableException(storeError == null ? "the history store is closed" : storeError);
        }
        return current.purge(settings.retention(), now, rules::feature);
    }

    @Override
    public List<String> export(DataSubject subject) {
        HistoryStore current = store;
        if (current == null) {
            throw new HistoryUnavailableException(storeError);
        }
        return current.seriesOf(subject).stream().map(current::export).toList();
    }

    @Override
    public long erase(DataSubject subject) {
        HistoryStore current = store;
        if (current == null) {
            throw new HistoryUnavailableException(storeError);
        }
        return current.erase(current.seriesOf(subject));
    }

    @Override
    public String component() {
        return "history";
    }

    @Override
    public ComponentHealth health() {
        HistoryStore current = store;
        Settings now = settings;
        if (current == null) {
            return ComponentHealth.down(storeError + notRecorded());
        }
        if (backgroundError != null || !current.isOpen()) {
            return ComponentHealth.down("cannot write the history store " + current.file() + ": "
                    + (backgroundError == null ? "it is closed" : backgroundError) + "; restart the hub with space and "
                    + "write access there, or set 'file' in etc/" + PID + ".cfg" + notRecorded());
        }
        StringBuilder detail = new StringBuilder()
                .append(current.pointCount()).append(" points in ").append(current.seriesCount()).append(" series in ")
                .append(current.file()).append(", retention ").append(now.retention());
        RetentionRun run = lastRun;
        if (run != null && run.error() == null) {
            detail.append("; last retention run ").append(run.at()).append(" removed ").append(run.removed());
        }
        boolean degraded = false;
        if (run != null && run.error() != null) {
            detail.append("; the last retention run failed: ").append(run.error());
            degraded = true;
        }
        if (!now.retention().problems().isEmpty()) {
            detail.append("; ").append(String.join("; ", now.retention().problems()));
            degraded = true;
        }
        if (lost.sum() > 0) {
            detail.append(notRecorded());
            degraded = true;
        }
        return degraded ? ComponentHealth.degraded(detail.toString()) : ComponentHealth.up(detail.toString());
    }

    private String notRecorded() {
        long count = lost.sum();
        return count == 0 ? "" : "; " + count + " property changes were not recorded (last: " + lastLoss + ")";
    }

    /** Property changes recorded since activation. */
    long recorded() {
        return recorded.sum();
    }

    /** Property changes that could not be recorded since activation. */
    long lost() {
        return lost.sum();
    }

    /** The store in use, for tests; {@code null} when it could not be opened. */
    HistoryStore store() {
        return store;
    }
}
