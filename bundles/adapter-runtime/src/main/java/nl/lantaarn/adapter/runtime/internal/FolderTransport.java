package nl.lantaarn.adapter.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.api.InboundMessage;

/**
 * A watched folder, looked at every second: each regular file is one payload (origin: its path, attribute
 * {@link InboundMessage#FILE_NAME}), moved to {@code done/} once mapped or to {@code failed/} once it became a dead
 * letter. Files whose name starts with a dot or ends in {@code .tmp} or {@code .part} are left alone, so a writer can
 * write under such a name and rename when complete. Files wait in the folder while the inbox is full or the instance
 * does not map.
 */
final class FolderTransport implements Transport {

    static final String DONE = "done";
    static final String FAILED = "failed";

    private final AdapterInstance instance;
    private final Path folder;
    private final Set<Path> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> scan;
    private volatile boolean closed;
    /** Why the last move failed, until one works again. */
    private volatile String moveProblem;

    FolderTransport(AdapterInstance instance, Path folder, RuntimeContext context) {
        this.instance = instance;
        this.folder = folder;
        try {
            Files.createDirectories(folder.resolve(DONE));
            Files.createDirectories(folder.resolve(FAILED));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the watched folder " + folder + " with done/ and failed/"
                    + " in it: " + e);
        }
        this.scan = context.scheduler.scheduleWithFixedDelay(this::scan, 0, 1, TimeUnit.SECONDS);
    }

    private void scan() {
        if (closed || !instance.isMapping()) {
            return;
        }
        try {
            List<Path> files;
            try (Stream<Path> listing = Files.list(folder)) {
                files = listing.filter(FolderTransport::isPayload).filter(f -> !pending.contains(f)).sorted()
                        .collect(Collectors.toList());
            }
            for (Path file : files) {
                if (closed || instance.inboxRemaining() == 0) {
                    break; // the rest waits for the next scan
                }
                try {
                    take(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    // taken away since the listing
                }
            }
            instance.transportProblem(moveProblem);
        } catch (IOException | RuntimeException e) {
            instance.transportProblem("watched folder " + folder + ": " + e);
        }
    }

    private static boolean isPayload(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && !name.endsWith(".tmp") && !name.endsWith(".part") && Files.isRegularFile(file);
    }

    private void take(Path file) throws IOException {
        int max = instance.maxPayloadBytes();
        byte[] payload;
        try (InputStream in = Files.newInputStream(file)) {
            payload = in.readNBytes(max + 1);
        }
        Instant now = Instant.now();
        String name = file.getFileName().toString();
        if (payload.length > max) {
            instance.deadLetterUnqueued(file.toString(), java.util.Arrays.copyOf(payload, max), now,
                    "file " + name + " is larger than " + max + " bytes (maxPayloadBytes in "
                            + "etc/nl.lantaarn.adapter.runtime.cfg); only the first " + max + " bytes are kept here");
            move(file, FAILED);
            return;
        }
        pending.add(file);
        instance.submit(new InboundMessage(file.toString(), payload, now, Map.of(InboundMessage.FILE_NAME, name)), null)
                .whenComplete((result, failure) -> done(file, result));
    }

    private void done(Path file, IngestResult result) {
        if (move(file, result != null && result.accepted() ? DONE : FAILED)) {
            pending.remove(file);
        }
        // a file that could not be moved stays pending, so it is not mapped twice; the instance says why
    }

    private boolean move(Path file, String subfolder) {
        Path target = folder.resolve(subfolder).resolve(file.getFileName());
        try {
            if (Files.exists(target)) {
                target = folder.resolve(subfolder).resolve(file.getFileName() + "." + System.currentTimeMillis());
            }
            Files.move(file, target);
            moveProblem = null;
            return true;
        } catch (IOException e) {
            moveProblem = "cannot move " + file + " to " + subfolder + "/: " + e;
            instance.transportProblem(moveProblem);
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        scan.cancel(false);
    }
}
