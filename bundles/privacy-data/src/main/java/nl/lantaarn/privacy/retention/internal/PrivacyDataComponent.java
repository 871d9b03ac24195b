package nl.lantaarn.privacy.retention.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.api.PrivacyManifest;
import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditTrail;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.personaldata.api.DataSubject;
import nl.lantaarn.personaldata.api.PersonalDataRights;
import nl.lantaarn.personaldata.api.PersonalDataStore;
import nl.lantaarn.twin.api.TwinEvent;
import nl.lantaarn.twin.api.TwinEventListener;
import nl.lantaarn.twin.api.TwinService;

/**
 * Retention and the rights of data subjects over every {@link PersonalDataStore} of the hub: the twin (here, through
 * the twin service), and the stores other bundles register (history, dead letters, the outboxes). A background job
 * (thread {@code privacy-retention}) runs the retention at start and every interval; erasures and exports run on the
 * caller's thread, one at a time with the job.
 */
@Component(service = {PersonalDataRights.class, HealthContributor.class}, configurationPid = PrivacyDataComponent.PID,
        immediate = true)
@Designate(ocd = PrivacyDataComponent.Config.class)
public final class PrivacyDataComponent implements PersonalDataRights, TwinEventListener, HealthContributor {

    static final String PID = "nl.lantaarn.privacy.data";
    /** Prefix of the configuration keys of the retention per data category: {@code retention.<category> = <days>}. */
    static final String PREFIX = "retention.";

    @ObjectClassDefinition(name = "Lantaarn retention and data subject rights",
            description = "How long data is kept: each adapter's privacy manifest says how long for its data; "
                    + "retention.<category> = <days> shortens that for every adapter's data of that category (never "
                    + "lengthens it). Data no manifest covers (route dead letters, outbox entries of things without "
                    + "manifest) is kept defaultRetentionDays.")
    public @interface Config {
        @AttributeDefinition(name = "Default retention (days)", min = "1", max = "36500",
                description = "Retention of data no adapter manifest covers.")
        int defaultRetentionDays() default 30;

        @AttributeDefinition(name = "Retention job interval (minutes)", min = "1", max = "10080",
                description = "How often expired data is removed from every store; also once at start.")
        int intervalMinutes() default 60;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PrivacyDataComponent.class);

    private final TwinService twin;
    private final FeatureClock featureClock = new FeatureClock();
    private final TwinData twinData;
    private final List<PersonalDataStore> stores = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final Duration fallback;
    private final Map<String, Duration> categories;
    private final List<String> problems;
    private final ScheduledExecutorService job;
    private volatile AdapterAdmin adapters;
    private volatile AuditTrail audit;
    private ServiceRegistration<TwinEventListener> listener;
    private volatile List<StoreResult> lastRun;
    private volatile Instant lastRunAt;

    /**
     * Registers itself as a {@link TwinEventListener} here rather than through DS: the twin binds its listeners while
     * it activates, and a DS-provided listener that needs the twin would then be created inside the twin's own
     * activation and fail for good ("Unable to get service"). Immediate, so the retention job runs without callers.
     */
    @Activate
    public PrivacyDataComponent(@Reference TwinService twin, Config config, Map<String, Object> properties,
            BundleContext context) {
        this(twin, Clock.systemUTC(), config.defaultRetentionDays(), properties);
        this.listener = context.registerService(TwinEventListener.class, this, null);
        job.scheduleWithFixedDelay(this::runScheduled, 0, Math.max(1, config.intervalMinutes()), TimeUnit.MINUTES);
    }

    /** Without the background job: tests run {@link #expire(Instant)} with the time they choose. */
    PrivacyDataComponent(TwinService twin, Clock clock, int defaultRetentionDays, Map<String, ?> properties) {
        this.twin = twin;
        this.clock = clock;
        this.twinData = new TwinData(twin, featureClock);
        this.fallback = Duration.ofDays(Math.max(1, defaultRetentionDays));
        List<String> found = new ArrayList<>();
        this.categories = categories(properties, found);
        this.problems = List.copyOf(found);
        problems.forEach(problem -> LOG.warn("Retention configuration: {}", problem));
        this.job = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "privacy-retention");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static Map<String, Duration> categories(Map<String, ?> properties, List<String> problems) {
        Map<String, Duration> result = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) || key.length() == PREFIX.length()) {
                return;
            }
            String raw = String.valueOf(value).trim();
            try {
                int days = Integer.parseInt(raw);
                if (days >= 1 && days <= 36_500) {
                    result.put(key.substring(PREFIX.length()), Duration.ofDays(days));
                    return;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            problems.add(key + " = '" + raw + "' is not a whole number of days from 1 to 36500; it is ignored. "
                    + "Change it in etc/" + PID + ".cfg");
        });
        return result;
    }

    @Deactivate
    void deactivate() {
        if (listener != null) {
            listener.unregister();
        }
        job.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeStore")
    void addStore(PersonalDataStore store) {
        stores.add(store);
    }

    void removeStore(PersonalDataStore store) {
        stores.remove(store);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAdapters")
    void setAdapters(AdapterAdmin admin) {
        adapters = admin;
    }

    void unsetAdapters(AdapterAdmin admin) {
        if (adapters == admin) {
            adapters = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAudit")
    void setAudit(AuditTrail trail) {
        audit = trail;
    }

    void unsetAudit(AuditTrail trail) {
        if (audit == trail) {
            audit = null;
        }
    }

    @Override
    public void onTwinEvent(TwinEvent event) {
        featureClock.onEvent(event);
    }

    private List<PersonalDataStore> all() {
        List<PersonalDataStore> result = new ArrayList<>(stores.size() + 1);
        result.add(twinData);
        result.addAll(stores);
        return result;
    }

    @Override
    public List<String> stores() {
        return all().stream().map(PersonalDataStore::name).toList();
    }

    Rules rules() {
        return new Rules(twin, categories, fallback, this::manifestOf);
    }

    private Optional<PrivacyManifest> manifestOf(String source) {
        AdapterAdmin admin = adapters;
        if (admin == null) {
            return Optional.empty();
        }
        try {
            return admin.status(source).map(AdapterStatus::privacy);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized List<StoreResult> expire(Instant now) {
        Rules rules = rules();
        List<StoreResult> results = new ArrayList<>();
        for (PersonalDataStore store : all()) {
            try {
                results.add(new StoreResult(store.name(), store.expire(rules, now), null));
            } catch (RuntimeException e) {
                results.add(new StoreResult(store.name(), 0, e.toString()));
            }
        }
        lastRun = List.copyOf(results);
        lastRunAt = now;
        LOG.debug("Retention at {}: {}", now, results);
        return results;
    }

    private void runScheduled() {
        try {
            List<StoreResult> previous = lastRun;
            List<StoreResult> results = expire(clock.instant());
            boolean failed = results.stream().anyMatch(r -> r.error() != null);
            boolean failedBefore = previous != null && previous.stream().anyMatch(r -> r.error() != null);
            if (failed && !failedBefore) {
                LOG.warn("Retention failed in a store: {}; it is tried again at the next interval", describe(results));
            }
        } catch (RuntimeException e) {
            LOG.warn("Retention job failed: {}", e.toString(), e);
        }
    }

    /** The subject, and for a pseudonym also every thing it identifies (see {@link TwinData#thingsOf}). */
    private List<DataSubject> linked(DataSubject subject) {
        List<DataSubject> result = new ArrayList<>();
        result.add(subject);
        result.addAll(twinData.thingsOf(subject));
        return result;
    }

    @Override
    public synchronized List<StoreResult> erase(DataSubject subject, String actor) {
        List<DataSubject> subjects = linked(subject);
        List<StoreResult> results = new ArrayList<>();
        for (PersonalDataStore store : all()) {
            try {
                long count = 0;
                // the things first, then what else still names the pseudonym
                for (int i = subjects.size() - 1; i >= 0; i--) {
                    count += store.erase(subjects.get(i));
                }
                results.add(new StoreResult(store.name(), count, null));
            } catch (RuntimeException e) {
                results.add(new StoreResult(store.name(), 0, e.toString()));
            }
        }
        boolean complete = results.stream().allMatch(r -> r.error() == null);
        String things = subjects.size() > 1 ? "things " + subjects.subList(1, subjects.size()).stream()
                .map(DataSubject::value).collect(Collectors.joining(" ")) + "; " : "";
        record(AuditKind.ERASURE, actor, subject, complete ? "erased" : "incomplete", things + describe(results));
        LOG.info("Erased {} for {}: {}", subject, actor, describe(results));
        return results;
    }

    @Override
    public synchronized Map<String, List<String>> export(DataSubject subject, String actor) {
        List<DataSubject> subjects = linked(subject);
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (PersonalDataStore store : all()) {
            java.util.Set<String> items = new java.util.LinkedHashSet<>();
            for (DataSubject each : subjects) {
                items.addAll(store.export(each));
            }
            result.put(store.name(), List.copyOf(items));
        }
        record(AuditKind.EXPORT, actor, subject, "exported", result.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", ")));
        return result;
    }

    /** The audit entry names the thing id or the pseudonym, never an identity; the trail itself is never rewritten. */
    private void record(AuditKind kind, String actor, DataSubject subject, String outcome, String counts) {
        AuditTrail trail = audit;
        if (trail == null) {
            LOG.debug("No audit trail: {} of {} by {} not recorded there", kind.id(), subject, actor);
            return;
        }
        boolean thing = subject.kind() == DataSubject.Kind.THING;
        trail.record(new AuditEntry(kind, actor, "data subject rights", "/api/v1/privacy",
                thing ? subject.value() : "", outcome,
                (thing ? "" : "pseudonym " + subject.value() + "; ") + counts));
    }

    private static String describe(List<StoreResult> results) {
        return results.stream().map(r -> r.store() + " " + (r.error() == null ? r.count() : "failed: " + r.error()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String component() {
        return "privacy";
    }

    @Override
    public ComponentHealth health() {
        List<StoreResult> run = lastRun;
        StringBuilder detail = new StringBuilder("retention over ").append(String.join(", ", stores()))
                .append("; default ").append(fallback.toDays()).append(" days");
        if (!categories.isEmpty()) {
            detail.append(", per category ").append(categories.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().toDays() + " days").collect(Collectors.joining(", ")));
        }
        boolean degraded = !problems.isEmpty();
        if (run != null) {
            detail.append("; last run ").append(lastRunAt).append(" removed: ").append(describe(run));
            degraded |= run.stream().anyMatch(r -> r.error() != null);
        }
        if (!problems.isEmpty()) {
            detail.append("; ").append(String.join("; ", problems));
        }
        return degraded ? ComponentHealth.degraded(detail.toString()) : ComponentHealth.up(detail.toString());
    }
}
