package nl.lantaarn.deadletter.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonObject;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.runtime.api.HubHome;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;

/**
 * Dead letters kept in an append-only JSON-lines file under {@code <home>/data/dead-letters/}, with the newest ones in
 * memory for listing. Each record is flushed before {@link #record} returns, so a dead letter survives a crash of the
 * hub. Rejected payloads are rare compared with accepted ones, so one lock for the file is no hot-path cost.
 */
@Component(service = {DeadLetterService.class, HealthContributor.class}, configurationPid = "nl.lantaarn.deadletter")
@Designate(ocd = FileDeadLetterService.Config.class)
public final class FileDeadLetterService implements DeadLetterService, HealthContributor {

    @ObjectClassDefinition(name = "Lantaarn dead letters", description = "Where rejected payloads are kept.")
    public @interface Config {
        @AttributeDefinition(name = "Directory", description = "Folder of the dead-letter file; relative to the hub home.")
        String directory() default "data/dead-letters";

        @AttributeDefinition(name = "Listed in memory", description = "How many of the newest dead letters the API lists.", min = "1")
        int memoryLimit() default 10_000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileDeadLetterService.class);
    static final String FILE_NAME = "dead-letters.jsonl";

    private final Path file;
    private final int memoryLimit;
    private final Deque<DeadLetter> recent = new ArrayDeque<>();
    private final WarnLimiter warnLimiter = new WarnLimiter(10, 60_000);
    private BufferedWriter writer;
    private long count;
    private String lastWriteError;

    @Activate
    public FileDeadLetterService(BundleContext context, Config config) {
        this(HubHome.of(context).resolve(config.directory()), config.memoryLimit());
    }

    FileDeadLetterService(Path directory, int memoryLimit) {
        this.file = directory.resolve(FILE_NAME);
        this.memoryLimit = memoryLimit;
        try {
            Files.createDirectories(directory);
            loadExisting();
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (endsWithTornLine()) {
                writer.newLine(); // keep the next record on a line of its own
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the dead-letter file " + file
                    + "; check that the folder is writable or set 'directory' in etc/nl.lantaarn.deadletter.cfg", e);
        }
        LOG.debug("Dead letters kept in {} ({} existing)", file, count);
    }

    @Override
    public DeadLetter record(String source, String origin, String reason, byte[] payload, Instant receivedAt) {
        DeadLetter letter = new DeadLetter(UUID.randomUUID().toString(), source, origin, reason, receivedAt, payload);
        synchronized (this) {
            remember(letter);
            count++;
            write(letter);
        }
        if (warnLimiter.tryAcquire()) {
            LOG.warn("Dead letter {} from {} ({}): {}", letter.id(), source, origin, reason);
        } else {
            LOG.debug("Dead letter {} from {} ({}): {}", letter.id(), source, origin, reason);
        }
        return letter;
    }

    private void write(DeadLetter letter) {
        try {
            writer.write(toJson(letter).toString());
            writer.newLine();
            writer.flush();
            lastWriteError = null;
        } catch (IOException e) {
            // Still listed in memory; health says the file is failing so an operator can act.
            if (lastWriteError == null) {
                LOG.error("Cannot write dead letter {} to {}: {}", letter.id(), file, e.toString());
            }
            lastWriteError = e.toString();
        }
    }

    private void remember(DeadLetter letter) {
        recent.addFirst(letter);
        if (recent.size() > memoryLimit) {
            recent.removeLast();
        }
    }

    @Override
    public synchronized List<DeadLetter> list(String source, int limit) {
        List<DeadLetter> result = new ArrayList<>(Math.min(limit, recent.size()));
        for (Iterator<DeadLetter> it = recent.iterator(); it.hasNext() && result.size() < limit;) {
            DeadLetter letter = it.next();
            if (source == null || source.equals(letter.source())) {
                result.add(letter);
            }
        }
        return result;
    }

    @Override
    public synchronized long count() {
        return count;
    }

    @Override
    public String component() {
        return "dead-letters";
    }

    @Override
    public synchronized ComponentHealth health() {
        if (lastWriteError != null) {
            return ComponentHealth.degraded("cannot write " + file + ": " + lastWriteError);
        }
        return ComponentHealth.up(count + " dead letters");
    }

    @Deactivate
    synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed", file, e);
        }
    }

    private boolean endsWithTornLine() throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            return false;
        }
        try (var channel = Files.newByteChannel(file)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            channel.position(size - 1).read(last);
            return last.get(0) != '\n';
        }
    }

    private void loadExisting() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.filter(line -> !line.isBlank()).forEach(line -> {
                try {
                    remember(fromJson(JsonObject.of(line)));
                    count++;
                } catch (RuntimeException e) {
                    // A torn last line after a crash; the records before it are intact.
                    LOG.warn("Skipping an unreadable line in {}: {}", file, e.getMessage());
                }
            });
        }
    }

    static JsonObject toJson(DeadLetter letter) {
        return JsonObject.newBuilder()
                .set("id", letter.id())
                .set("source", letter.source())
                .set("origin", letter.origin())
                .set("reason", letter.reason())
                .set("receivedAt", letter.receivedAt().toString())
                .set("payload", Base64.getEncoder().encodeToString(letter.payload()))
                .build();
    }

    static DeadLetter fromJson(JsonObject json) {
        return new DeadLetter(json.getValueOrThrow(key("id")), json.getValueOrThrow(key("source")),
                json.getValueOrThrow(key("origin")), json.getValueOrThrow(key("reason")),
                Instant.parse(json.getValueOrThrow(key("receivedAt"))),
                Base64.getDecoder().decode(json.<String>getValueOrThrow(key("payload"))));
    }

    private static org.eclipse.ditto.json.JsonFieldDefinition<String> key(String name) {
        return org.eclipse.ditto.json.JsonFactory.newStringFieldDefinition(name);
    }
}
