package nl.lantaarn.routing.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Route;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesBuilderLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The YAML route files of one folder: loads every {@code *.yaml} / {@code *.yml} file into the Camel context and keeps
 * the context in step with the folder. Each file's routes are tracked; a changed file replaces exactly its own routes;
 * a file that cannot be loaded is refused, named with the line of the problem, and its previous version keeps
 * running. All changes happen in {@link #scan(boolean)}, one scan at a time.
 */
final class RouteFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);
    /** The marks snakeyaml and the YAML DSL put in their messages. */
    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");
    /** How Camel names the failing step in FailedToCreateRouteException. */
    private static final Pattern FAILED_STEP = Pattern.compile(">>> (.+?) <<<", Pattern.DOTALL);

    private final CamelContext context;
    private final Path directory;
    private final String settingHint;
    private final Map<Path, FileState> files = new TreeMap<>();
    private boolean directoryMissing;
    /** Who else owns a route id (routes of RouteBuilder services), or null; read under this instance's lock. */
    private Function<String, String> otherOwner = id -> null;
    private volatile Summary summary = new Summary(0, 0, List.of(), false);

    /**
     * @param settingHint names the setting that chooses the folder, for messages
     */
    RouteFiles(CamelContext context, Path directory, String settingHint) {
        this.context = context;
        this.directory = directory;
        this.settingHint = settingHint;
    }

    Path directory() {
        return directory;
    }

    /** State after the last scan; cheap. */
    Summary summary() {
        return summary;
    }

    /** The route ids each loaded file contributes, by file name. */
    synchronized Map<String, List<String>> routeIdsByFile() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        files.forEach((path, state) -> result.put(path.getFileName().toString(), List.copyOf(state.routeIds)));
        return result;
    }

    /**
     * Names the owner of route ids that do not come from the folder (e.g. {@code bundle:<symbolic name>}), so a
     * file whose route id is taken by one is refused naming it.
     */
    synchronized void otherOwner(Function<String, String> owner) {
        this.otherOwner = owner;
    }

    /** The file a running route id came from, or {@code null}. */
    synchronized String fileOf(String routeId) {
        for (Map.Entry<Path, FileState> entry : files.entrySet()) {
            if (entry.getValue().routeIds.contains(routeId)) {
                return name(entry.getKey());
            }
        }
        return null;
    }

    /** The metadata of every running route, with the file it came from, by route id. */
    synchronized Map<String, Loaded> loadedRoutes() {
        Map<String, Loaded> result = new TreeMap<>();
        files.forEach((path, state) -> {
            for (String id : state.routeIds) {
                RouteMetadata.Metadata metadata = state.metadata.get(id);
                if (metadata != null) {
                    result.put(id, new Loaded(name(path), metadata));
                }
            }
        });
        return result;
    }

    /** A running route: its file and metadata. */
    record Loaded(String file, RouteMetadata.Metadata metadata) {
    }

    /**
     * Brings the context in step with the folder.
     *
     * @param initial load every file now; later scans apply a new or changed file only once it stayed the same for
     *                one scan interval, so a file being written is not read half-way
     */
    synchronized void scan(boolean initial) {
        List<Path> present = listFiles();
        for (Path known : new ArrayList<>(files.keySet())) {
            if (!present.contains(known)) {
                FileState state = files.remove(known);
                removeRoutes(state.routeIds);
                LOG.debug("Route file {} was deleted; its routes {} are removed", name(known), state.routeIds);
            }
        }
        for (Path file : present) {
            Stat stat = stat(file);
            if (stat == null) {
                continue;
            }
            FileState state = files.computeIfAbsent(file, f -> new FileState());
            if (stat.equals(state.applied)) {
                state.seen = stat;
                continue;
            }
            if (!initial && !stat.equals(state.seen)) {
                state.seen = stat;
                continue;
            }
            state.seen = stat;
            state.applied = stat;
            apply(file, state);
        }
        updateSummary();
    }

    /** Removes every route loaded from the folder (on shutdown). */
    synchronized void removeAll() {
        files.values().forEach(state -> removeRoutes(state.routeIds));
        files.clear();
        updateSummary();
    }

    private List<Path> listFiles() {
        if (!Files.isDirectory(directory)) {
            if (!directoryMissing) {
                LOG.warn("Routes directory {} does not exist, so no routes run; create it or set {}", directory,
                        settingHint);
                directoryMissing = true;
            }
            return List.of();
        }
        if (directoryMissing) {
            LOG.debug("Routes directory {} exists now", directory);
            directoryMissing = false;
        }
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.{yaml,yml}")) {
            for (Path file : stream) {
                if (Files.isRegularFile(file)) {
                    result.add(file);
                }
            }
        } catch (IOException e) {
            LOG.warn("Routes directory {} cannot be read ({}); the routes loaded before keep running", directory,
                    e.toString());
            return new ArrayList<>(files.keySet());
        }
        result.sort(null);
        return result;
    }

    private static Stat stat(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stat(attributes.lastModifiedTime(), attributes.size());
        } catch (IOException e) {
            // deleted between listing and reading: the next scan sees it gone
            return null;
        }
    }

    private void apply(Path file, FileState state) {
        String name = name(file);
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            refuse(state, null, new RouteFileError(name, 0, "cannot be read as UTF-8 text: " + e));
            return;
        }
        if (state.error == null && content.equals(state.goodContent)
                || state.error != null && content.equals(state.refusedContent)) {
            // saved again without a change
            return;
        }
        try {
            boolean reload = state.goodContent != null;
            state.routeIds = load(file, content, state);
            state.goodContent = content;
            state.error = null;
            state.refusedContent = null;
            LOG.debug("Route file {} {}: routes {}", name, reload ? "reloaded" : "loaded", state.routeIds);
        } catch (Refused refused) {
            refuse(state, content, refused.error);
        }
    }

    private void refuse(FileState state, String content, RouteFileError error) {
        state.error = error;
        state.refusedContent = content;
        LOG.warn("Route file {} refused{}: {}. {}", error.file(), error.line() > 0 ? " at line " + error.line() : "",
                error.reason(), state.routeIds.isEmpty()
                ? "None of its routes run."
                : "Its previous version keeps running: routes " + state.routeIds + ".");
    }

    /**
     * Parses the file, then swaps the file's previous routes for the new ones; when the new routes cannot start, the
     * previous version is restored.
     *
     * @return the ids of the routes now running from this file
     */
    private List<String> load(Path file, String content, FileState state) throws Refused {
        String name = name(file);
        Parsed parsed;
        try {
            parsed = parse(file, content);
        } catch (RouteMetadata.MetadataException e) {
            throw new Refused(new RouteFileError(name, e.line, e.getMessage()));
        } catch (Exception e) {
            throw new Refused(error(name, e, List.of()));
        }
        RoutesBuilder builder = parsed.builder();
        List<RouteDefinition> definitions = parsed.definitions();
        checkIds(file, definitions);

        removeRoutes(state.routeIds);
        state.routeIds = List.of();
        Set<String> before = runningRouteIds();
        try {
            add(builder);
        } catch (Exception e) {
            RouteFileError error = error(name, e, definitions);
            removeRoutes(difference(runningRouteIds(), before));
            removeDefinitions(definitions);
            state.routeIds = restore(file, state.goodContent, before, state);
            throw new Refused(error);
        }
        state.metadata = parsed.metadata();
        return newRouteIds(definitions, before);
    }

    /** Checks the routes' metadata, then lets Camel read the file; the metadata become route properties. */
    private Parsed parse(Path file, String content) throws Exception {
        RouteMetadata.Prepared prepared = RouteMetadata.prepare(name(file), content);
        // the location names the file in snakeyaml's messages; the loader is asked for directly because the folder
        // also accepts .yml, which Camel does not map to the YAML DSL by itself
        Resource resource = ResourceHelper.fromString("file:" + file, prepared.content());
        RoutesBuilderLoader yaml = PluginHelper.getRoutesLoader(context).getRoutesLoader("yaml");
        RoutesBuilder builder = yaml.loadRoutesBuilder(resource);
        List<RouteDefinition> definitions = builder instanceof RouteBuilder routeBuilder
                ? routeBuilder.configureRoutes(context).getRoutes()
                : List.of();
        for (RouteDefinition definition : definitions) {
            RouteMetadata.Metadata metadata = prepared.byRouteId().get(definition.getRouteId());
            if (metadata == null) {
                // e.g. a route made from a template: its metadata cannot be checked
                throw new RouteMetadata.MetadataException(line(definition), "route '" + definition.getRouteId()
                        + "' has no purpose: only '- route:' entries with id, description and routeProperties "
                        + "(purpose, legalBasis, owner) are accepted");
            }
            metadata.properties().forEach(definition::routeProperty);
            guardPurpose(definition, metadata);
        }
        return new Parsed(builder, definitions, prepared.byRouteId());
    }

    /**
     * The function-creep guard: a {@code hub:events} route that can receive personal data must have a purposeId the
     * data's manifest allows, else the file is refused like a broken one (its previous version keeps running).
     */
    private void guardPurpose(RouteDefinition definition, RouteMetadata.Metadata metadata)
            throws RouteMetadata.MetadataException {
        if (definition.getInput() == null || !(context.getComponent(HubComponent.SCHEME) instanceof HubComponent hub)) {
            return;
        }
        String uri = definition.getInput().getEndpointUri();
        if (uri == null || !(uri.equals("hub:events") || uri.startsWith("hub:events?"))) {
            return;
        }
        Map<String, Object> parameters;
        try {
            parameters = URISupport.parseQuery(uri.indexOf('?') < 0 ? "" : uri.substring(uri.indexOf('?') + 1));
        } catch (java.net.URISyntaxException e) {
            // Camel names what is wrong with the URI when it creates the endpoint
            return;
        }
        HubFilter filter = new HubFilter(text(parameters, "namespace"), text(parameters, "thing"),
                text(parameters, "domain"), text(parameters, "feature"), text(parameters, "definition"),
                text(parameters, "zone"));
        Optional<String> refused = hub.purposes().creep(definition.getRouteId(), filter,
                metadata.properties().get(RoutePurposes.PURPOSE_ID));
        if (refused.isPresent()) {
            throw new RouteMetadata.MetadataException(line(definition), refused.get());
        }
    }

    private static String text(Map<String, Object> parameters, String key) {
        Object value = parameters.get(key);
        return value == null ? null : value.toString();
    }

    private record Parsed(RoutesBuilder builder, List<RouteDefinition> definitions,
            Map<String, RouteMetadata.Metadata> metadata) {
    }

    private void add(RoutesBuilder builder) throws Exception {
        if (builder instanceof RouteConfigurationsBuilder configurations) {
            context.addRoutesConfigurations(configurations);
        }
        context.addRoutes(builder);
        context.addTemplatedRoutes(builder);
    }

    /** Starts the previous version again after a failed swap. */
    private List<String> restore(Path file, String previous, Set<String> before, FileState state) {
        if (previous == null) {
            return List.of();
        }
        try {
            Parsed parsed = parse(file, previous);
            add(parsed.builder());
            state.metadata = parsed.metadata();
            return newRouteIds(parsed.definitions(), before);
        } catch (Exception e) {
            LOG.warn("Route file {}: its previous version could not be started again either ({}); none of its routes "
                    + "run", name(file), e.toString());
            return List.of();
        }
    }

    private void checkIds(Path file, List<RouteDefinition> definitions) throws Refused {
        Set<String> own = new HashSet<>();
        for (RouteDefinition definition : definitions) {
            String id = definition.getRouteId();
            if (id == null) {
                continue;
            }
            int line = line(definition);
            if (!own.add(id)) {
                throw new Refused(new RouteFileError(name(file), line, "route id '" + id
                        + "' is used twice in this file; route ids must be unique"));
            }
            String owner = otherOwner.apply(id);
            if (owner != null) {
                throw new Refused(new RouteFileError(name(file), line, "route id '" + id + "' is already used by "
                        + owner + "; route ids must be unique across the folder and the routes bundles contribute"));
            }
            for (Map.Entry<Path, FileState> other : files.entrySet()) {
                if (!other.getKey().equals(file) && other.getValue().routeIds.contains(id)) {
                    throw new Refused(new RouteFileError(name(file), line, "route id '" + id
                            + "' is already used by route file " + name(other.getKey())
                            + "; route ids must be unique across the folder"));
                }
            }
        }
    }

    private List<String> newRouteIds(List<RouteDefinition> definitions, Set<String> before) {
        Set<String> ids = new LinkedHashSet<>();
        Set<String> running = runningRouteIds();
        for (RouteDefinition definition : definitions) {
            if (definition.getRouteId() != null && running.contains(definition.getRouteId())) {
                ids.add(definition.getRouteId());
            }
        }
        // routes made from templates have no definition in the file
        ids.addAll(difference(running, before));
        return List.copyOf(ids);
    }

    private Set<String> runningRouteIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Route route : context.getRoutes()) {
            ids.add(route.getRouteId());
        }
        return ids;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new LinkedHashSet<>(a);
        result.removeAll(b);
        return result;
    }

    private void removeRoutes(Collection<String> routeIds) {
        for (String id : routeIds) {
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Route {} could not be stopped and removed: {}", id, e.toString());
            }
        }
    }

    private void removeDefinitions(List<RouteDefinition> definitions) {
        try {
            context.getCamelContextExtension().getContextPlugin(Model.class).removeRouteDefinitions(definitions);
        } catch (Exception e) {
            LOG.debug("Route definitions of a refused file could not be removed", e);
        }
    }

    private void updateSummary() {
        int loaded = 0;
        List<RouteFileError> refused = new ArrayList<>();
        for (FileState state : files.values()) {
            if (state.error != null) {
                refused.add(state.error);
            } else if (state.applied != null) {
                loaded++;
            }
        }
        summary = new Summary(files.size(), loaded, List.copyOf(refused), directoryMissing);
    }

    /** The refusal of a file, with the best line number the exception chain gives. */
    static RouteFileError error(String file, Throwable failure, List<RouteDefinition> definitions) {
        int line = 0;
        Throwable innermost = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (line == 0 && t.getMessage() != null) {
                Matcher marks = MARK.matcher(t.getMessage());
                while (marks.find()) {
                    // the last mark is the problem, earlier ones are its context
                    line = Integer.parseInt(marks.group(1));
                }
            }
            if (line == 0 && t instanceof FailedToCreateRouteException created) {
                line = failedStepLine(created.getRouteId(), created.getMessage(), definitions);
            }
            if (line == 0 && t instanceof FailedToStartRouteException notStarted) {
                line = failedStepLine(notStarted.getRouteId(), notStarted.getMessage(), definitions);
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t;
            }
        }
        return new RouteFileError(file, line, reason(innermost));
    }

    /** The line of the step Camel names in the message, else the line of the route. */
    private static int failedStepLine(String routeId, String message, List<RouteDefinition> definitions) {
        for (RouteDefinition definition : definitions) {
            if (routeId == null || !routeId.equals(definition.getRouteId())) {
                continue;
            }
            Matcher step = FAILED_STEP.matcher(String.valueOf(message));
            if (step.find()) {
                int line = findLine(definition.getOutputs(), step.group(1));
                if (line > 0) {
                    return line;
                }
                if (definition.getInput() != null && step.group(1).equals(definition.getInput().toString())) {
                    return definition.getInput().getLineNumber();
                }
            }
            return line(definition);
        }
        return 0;
    }

    private static int findLine(List<ProcessorDefinition<?>> steps, String text) {
        for (ProcessorDefinition<?> step : steps) {
            if (text.equals(step.toString()) && step.getLineNumber() > 0) {
                return step.getLineNumber();
            }
            int nested = findLine(step.getOutputs(), text);
            if (nested > 0) {
                return nested;
            }
        }
        return 0;
    }

    private static int line(RouteDefinition definition) {
        if (definition.getInput() != null && definition.getInput().getLineNumber() > 0) {
            return definition.getInput().getLineNumber();
        }
        return Math.max(0, definition.getLineNumber());
    }

    /** The message without snakeyaml's location and snippet lines, which the line number replaces. */
    private static String reason(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\\R")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                kept.add(line.trim());
            }
        }
        String reason = kept.isEmpty() ? message.trim() : String.join("; ", kept);
        return reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    /** What the health report shows. */
    record Summary(int files, int loadedFiles, List<RouteFileError> refused, boolean directoryMissing) {
    }

    private record Stat(FileTime modified, long size) {
    }

    /** Guarded by the RouteFiles instance. */
    private static final class FileState {
        Stat applied;
        Stat seen;
        String goodContent;
        String refusedContent;
        List<String> routeIds = List.of();
        Map<String, RouteMetadata.Metadata> metadata = Map.of();
        RouteFileError error;
    }

    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient RouteFileError error;

        Refused(RouteFileError error) {
            super(error.describe(), null, false, false);
            this.error = error;
        }
    }
}
