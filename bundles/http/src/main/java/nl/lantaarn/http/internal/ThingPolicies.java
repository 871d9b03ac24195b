package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.osgi.framework.BundleContext;
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

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.search.api.ThingSearch;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.ThingAccess;

/**
 * The hub's access policies from {@code <home>/policies/*.json} (Ditto policy JSON), reloaded when a file is added,
 * changed or removed. A file with a problem is refused with a warning naming it and the problem, the version loaded
 * before stays in use, and health shows DEGRADED. With no file at all the built-in default applies (readers read,
 * writers write), which is also what {@code policies/default.json} ships.
 * <p>
 * Purpose binding ({@link PurposeGuard}) is decided here too, after the policies: personal data of an adapter is left
 * out of what a client reads unless the adapter's privacy manifest allows the client's purpose. So the API, search,
 * the event stream and the Ditto-compatible API, which all ask this service, apply it alike.
 */
@Component(service = {ThingAccess.class, HealthContributor.class})
@Designate(ocd = ThingPolicies.Config.class)
public final class ThingPolicies implements ThingAccess, HealthContributor {

    @ObjectClassDefinition(name = "Lantaarn access policies",
            description = "Ditto-style policies: which client may read and write which things, domains and zones")
    public @interface Config {
        @AttributeDefinition(description = "Folder of the *.json policy files; empty means <lantaarn.home>/policies")
        String directory() default "";

        @AttributeDefinition(description = "How often the folder is checked for changed files, in milliseconds",
                min = "100")
        long pollMillis() default 1000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ThingPolicies.class);
    private static final JsonPointer LOCATION = JsonPointer.of("attributes/location/coordinates");
    private static final JsonPointer ZONE = JsonPointer.of("attributes/zone");

    private final Path folder;
    private final PurposeGuard purposes;
    private final ScheduledExecutorService poller;
    private final Map<String, PolicyFiles.FileResult> lastGood = new HashMap<>();
    private volatile AccessPolicy policy;
    private volatile List<String> problems = List.of();
    private volatile int loadedFiles;
    private volatile ThingSearch search;
    private String fingerprint;

    @Activate
    public ThingPolicies(BundleContext context, Config config, @Reference PurposeGuard purposes) {
        this(folder(context.getProperty("lantaarn.home"), config.directory()), config.pollMillis(), purposes);
    }

    ThingPolicies(Path folder, long pollMillis) {
        this(folder, pollMillis, new PurposeGuard());
    }

    ThingPolicies(Path folder, long pollMillis, PurposeGuard purposes) {
        this.folder = folder;
        this.purposes = purposes;
        reload();
        if (pollMillis > 0) {
            poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lantaarn-policies");
                thread.setDaemon(true);
                return thread;
            });
            poller.scheduleWithFixedDelay(this::reload, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        } else {
            poller = null;
        }
    }

    /**
     * The policies of the files in {@code folder}, read once and not watched: for the tests of other bundles that
     * apply real policies (this class is not exported, so only a plain class path reaches it).
     */
    public static ThingPolicies fromFolder(Path folder) {
        return new ThingPolicies(folder, 0);
    }

    /** As {@link #fromFolder(Path)}, with purpose binding by {@code purposes} (tests of other bundles). */
    public static ThingPolicies fromFolder(Path folder, PurposeGuard purposes) {
        return new ThingPolicies(folder, 0, purposes);
    }

    /** The purpose binding this service applies, for the refusals the API servlet explains. */
    PurposeGuard purposeGuard() {
        return purposes;
    }

    /** The built-in default alone, for servlets built without the component (tests). */
    static ThingPolicies builtInDefault() {
        return new ThingPolicies(null, 0);
    }

    static Path folder(String home, String directory) {
        if (directory != null && !directory.isBlank()) {
            return Paths.get(directory.trim());
        }
        return Paths.get(home == null || home.isBlank() ? "." : home).resolve("policies");
    }

    @Deactivate
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Optional: without it, zone grants are decided by {@code attributes/zone} alone. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSearch(ThingSearch service) {
        search = service;
    }

    void unsetSearch(ThingSearch service) {
        if (search == service) {
            search = null;
        }
    }

    @Override
    public boolean readsEverything(ApiClient client) {
        return policy.readsEverything(client) && !purposes.restricts(client);
    }

    @Override
    public Optional<JsonObject> readable(ApiClient client, JsonObject thing) {
        Optional<JsonObject> view = policy.readable(client, thing);
        return view.isEmpty() || !purposes.restricts(client) ? view
                : Optional.of(purposes.view(client, thing, view.get()));
    }

    @Override
    public boolean mayRead(ApiClient client, JsonObject thing, JsonPointer path) {
        return policy.mayRead(client, thing, path) && purposes.refusal(client, thing, path).isEmpty();
    }

    @Override
    public boolean mayWrite(ApiClient client, JsonObject thing, JsonPointer path) {
        return policy.mayWrite(client, thing, path);
    }

    /** The zones a thing lies in: its {@code attributes/zone}, and the zones of the folder holding its location. */
    private List<String> zonesOf(JsonObject thing) {
        List<String> zones = new ArrayList<>(2);
        thing.getValue(ZONE).filter(JsonValue::isString).map(JsonValue::asString).ifPresent(zones::add);
        ThingSearch current = search;
        if (current != null) {
            thing.getValue(LOCATION).filter(JsonValue::isArray).map(JsonValue::asArray)
                    .filter(array -> array.getSize() >= 2 && array.get(0).filter(JsonValue::isNumber).isPresent()
                            && array.get(1).filter(JsonValue::isNumber).isPresent())
                    .ifPresent(array -> zones.addAll(current.zonesAt(array.get(0).get().asDouble(),
                            array.get(1).get().asDouble())));
        }
        return zones;
    }

    /** Re-reads the folder when a file changed since the last look; runs on the poller thread (or at activation). */
    synchronized void reload() {
        try {
            List<Path> files = folder == null ? List.of() : PolicyFiles.files(folder);
            String now = fingerprint(files);
            if (now.equals(fingerprint)) {
                return;
            }
            fingerprint = now;
            List<PolicyFiles.FileResult> results = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            Map<String, PolicyFiles.FileResult> good = new HashMap<>();
            for (Path file : files) {
                PolicyFiles.FileResult result = PolicyFiles.read(file);
                PolicyFiles.FileResult use = result.problem() == null ? result : lastGood.get(result.file());
                if (result.problem() != null) {
                    refused.add(result.problem() + (use != null ? " (the version loaded before stays in use)" : ""));
                }
                if (use != null) {
                    good.put(use.file(), use);
                    results.add(use);
                }
            }
            if (files.isEmpty()) {
                results.add(PolicyFiles.builtInDefault());
            }
            AccessPolicy next = new AccessPolicy(PolicyFiles.merge(results), this::zonesOf);
            lastGood.clear();
            lastGood.putAll(good);
            for (String problem : refused) {
                if (!problems.contains(problem)) {
                    LOG.warn("Policy file refused: {}; fix the file in {}", problem, folder);
                }
            }
            policy = next;
            problems = List.copyOf(refused);
            loadedFiles = files.isEmpty() ? 0 : good.size();
            if (poller != null) {
                LOG.info("Access policies: {} loaded from {} ({} refused)",
                        files.isEmpty() ? "the built-in default" : good.size() + " files", folder, refused.size());
            }
        } catch (IOException | RuntimeException e) {
            String problem = "cannot read the policies folder " + folder + ": " + e;
            if (!problems.contains(problem)) {
                LOG.warn("Access policies: {}", problem);
            }
            problems = List.of(problem);
            if (policy == null) {
                // nothing loaded yet: deny everything rather than start open
                policy = new AccessPolicy(PolicyFiles.merge(List.of()), this::zonesOf);
            }
        }
    }

    private static String fingerprint(List<Path> files) throws IOException {
        StringBuilder print = new StringBuilder();
        for (Path file : files) {
            print.append(file.getFileName()).append(':').append(Files.size(file)).append(':')
                    .append(Files.getLastModifiedTime(file).toMillis()).append(';');
        }
        return print.toString();
    }

    @Override
    public String component() {
        return "policies";
    }

    @Override
    public ComponentHealth health() {
        int files = loadedFiles;
        String summary = (files == 0 ? "the built-in default policy" : files + " policy files") + " from " + folder;
        List<String> current = problems;
        return current.isEmpty() ? ComponentHealth.up(summary)
                : ComponentHealth.degraded(summary + "; refused: " + String.join("; ", current));
    }
}
