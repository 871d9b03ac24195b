package nl.lantaarn.search.internal;

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

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;

/**
 * The zones of {@code <home>/zones/*.geojson}, reloaded when a file is added, changed or removed. A file that cannot be
 * read or holds an invalid geometry is refused with a warning naming the file and the problem; the version of that file
 * loaded before (if any) stays in use, and health shows DEGRADED until the file is fixed.
 */
@Component(service = {ZoneRegistry.class, HealthContributor.class})
@Designate(ocd = ZoneRegistry.Config.class)
public final class ZoneRegistry implements HealthContributor {

    @ObjectClassDefinition(name = "Lantaarn zones", description = "GeoJSON areas that searches can name with zone=<id>")
    public @interface Config {
        @AttributeDefinition(description = "Folder of the *.geojson zone files; empty means <lantaarn.home>/zones")
        String directory() default "";

        @AttributeDefinition(description = "How often the folder is checked for changed files, in milliseconds",
                min = "100")
        long pollMillis() default 1000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ZoneRegistry.class);

    private final Path folder;
    private final ScheduledExecutorService poller;
    private final Map<String, ZoneLoader.FileResult> lastGood = new HashMap<>();
    private volatile Map<String, Zone> zones = Map.of();
    private volatile List<String> problems = List.of();
    private String fingerprint = "";

    @Activate
    public ZoneRegistry(BundleContext context, Config config) {
        this(folder(context.getProperty("lantaarn.home"), config.directory()), config.pollMillis());
    }

    ZoneRegistry(Path folder, long pollMillis) {
        this.folder = folder;
        reload();
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lantaarn-zones");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::reload, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        LOG.debug("Zones: watching {} every {} ms, {} zones", folder, pollMillis, zones.size());
    }

    static Path folder(String home, String directory) {
        if (directory != null && !directory.isBlank()) {
            return Paths.get(directory.trim());
        }
        return Paths.get(home == null || home.isBlank() ? "." : home).resolve("zones");
    }

    @Deactivate
    public void close() {
        poller.shutdownNow();
    }

    /** The zone with this id. */
    Optional<Zone> zone(String id) {
        return Optional.ofNullable(zones.get(id));
    }

    /** Every zone, by id. */
    Map<String, Zone> zones() {
        return zones;
    }

    /** The refused files and zones, one message each. */
    List<String> problems() {
        return problems;
    }

    Path folder() {
        return folder;
    }

    /** Re-reads the folder when a file changed since the last look; runs on the poller thread (or in the constructor). */
    synchronized void reload() {
        try {
            List<Path> files = ZoneLoader.files(folder);
            String now = fingerprint(files);
            if (now.equals(fingerprint)) {
                return;
            }
            fingerprint = now;
            List<ZoneLoader.FileResult> results = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            Map<String, ZoneLoader.FileResult> good = new HashMap<>();
            for (Path file : files) {
                ZoneLoader.FileResult result = ZoneLoader.read(file);
                if (result.problem() == null) {
                    good.put(result.file(), result);
                    results.add(result);
                    continue;
                }
                ZoneLoader.FileResult previous = lastGood.get(result.file());
                if (previous != null) {
                    good.put(result.file(), previous);
                    results.add(previous);
                    refused.add(result.problem() + " (the version loaded before stays in use)");
                } else {
                    refused.add(result.problem());
                }
            }
            List<String> merged = new ArrayList<>(refused);
            Map<String, Zone> next = ZoneLoader.merge(results, merged);
            lastGood.clear();
            lastGood.putAll(good);
            for (String problem : merged) {
                if (!problems.contains(problem)) {
                    LOG.warn("Zone file refused: {}; fix the file in {}", problem, folder);
                }
            }
            zones = Map.copyOf(next);
            problems = List.copyOf(merged);
            if (poller == null) {
                // at activation: lifecycle, DEBUG; later reloads follow an operator's edit and are worth a line
                LOG.debug("Zones: {} loaded from {} ({} files, {} problems)", next.size(), folder, files.size(),
                        merged.size());
            } else {
                LOG.info("Zones: {} loaded from {} ({} files, {} problems)", next.size(), folder, files.size(),
                        merged.size());
            }
        } catch (IOException | RuntimeException e) {
            String problem = "cannot read the zones folder " + folder + ": " + e;
            if (!problems.contains(problem)) {
                LOG.warn("Zones: {}", problem);
            }
            problems = List.of(problem);
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
        return "zones";
    }

    @Override
    public ComponentHealth health() {
        List<String> current = problems;
        String summary = zones.size() + " zones from " + folder;
        if (current.isEmpty()) {
            return ComponentHealth.up(summary);
        }
        return ComponentHealth.degraded(summary + "; refused: " + String.join("; ", current));
    }
}
