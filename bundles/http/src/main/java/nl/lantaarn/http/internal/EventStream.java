package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * One open {@code GET /api/v1/events} answer. Events the feed offers are filtered and put in a bounded queue (never
 * waiting); a shared writer thread and the container's write callbacks move them to the client with non-blocking
 * writes, so an idle or slow stream holds no thread. A full queue means the client reads slower than the hub changes:
 * the stream then sends {@code event: overflow} and closes, instead of slowing the hub or other clients.
 */
final class EventStream implements WriteListener, AsyncListener {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    static final String HEARTBEAT = ": heartbeat\n\n";

    private final String client;
    private final AsyncContext async;
    private final ServletOutputStream out;
    /** The frame this client gets for an event (filtered, and cut to what its policies let it read); null: none. */
    private final Function<EventFeed.StreamEvent, String> render;
    /** What a resuming client gets first (a gap, the events it missed); bounded by the feed's ring. */
    private final Queue<String> backlog = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<String> frames;
    private final int bufferSize;
    private final Executor writer;
    private final Consumer<EventStream> onClosed;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set once the write listener is registered and the feed knows the stream: only then may anything be written. */
    private volatile boolean started;
    /** Guards the output stream: the writer thread and the container's callbacks take turns. */
    private final Object output = new Object();
    /** Written since the last flush; guarded by {@link #output}. */
    private boolean unflushed;

    EventStream(String client, AsyncContext async, ServletOutputStream out,
            Function<EventFeed.StreamEvent, String> render, int bufferSize, Executor writer, Consumer<EventStream> onClosed) {
        this.client = client;
        this.async = async;
        this.out = out;
        this.render = render;
        this.bufferSize = Math.max(1, bufferSize);
        this.frames = new ArrayBlockingQueue<>(this.bufferSize);
        this.writer = writer;
        this.onClosed = onClosed;
        backlog.add(": connected\n\n");
    }

    String client() {
        return client;
    }

    /** Called by the feed, under its lock, before any live event: the gap (if any) and the events missed. */
    void resume(EventFeed.Resume resume) {
        if (resume.missed() != 0) {
            JsonObject gap = JsonObject.newBuilder()
                    .set("missed", resume.missed() < 0 ? JsonValue.nullLiteral() : JsonValue.of(resume.missed()))
                    .set("latestId", resume.latest())
                    .set("detail", resume.missed() < 0
                            ? "The Last-Event-ID is not one this hub sent since it started (it restarted, or the id "
                                    + "is wrong), so changes may have been missed: read the things again "
                                    + "(GET /api/v1/things); the events held since it started follow."
                            : resume.missed() + " events after the Last-Event-ID are no longer held (the hub keeps "
                                    + "the most recent ones only), so changes may have been missed: read the things "
                                    + "again (GET /api/v1/things); the events still held follow.")
                    .build();
            backlog.add("event: gap\ndata: " + gap + "\n\n");
        }
        for (EventFeed.StreamEvent event : resume.replay()) {
            String frame = render.apply(event);
            if (frame != null) {
                backlog.add(frame);
            }
        }
    }

    /** From the twin's listener thread: queues the event if the filter takes it; never waits. */
    void offer(EventFeed.StreamEvent event) {
        if (closing.get()) {
            return;
        }
        String frame = render.apply(event);
        if (frame == null) {
            return;
        }
        if (frames.offer(frame)) {
            writer.execute(this::drain);
        } else {
            overflow("The client read slower than the hub's things changed: more than " + bufferSize
                    + " events waited for it. Reconnect with Last-Event-ID to resume, and read faster or filter "
                    + "(thing, namespace, domain, zone).");
        }
    }

    /** A comment line when nothing else is waiting, so that proxies see traffic and a gone client is noticed. */
    void heartbeat() {
        if (!closing.get() && frames.isEmpty() && frames.offer(HEARTBEAT)) {
            writer.execute(this::drain);
        }
    }

    /** Sends {@code event: overflow} when the client takes it, then closes. */
    void overflow(String reason) {
        boolean first;
        // under the output lock, so that the writer never sees the stream closing without its overflow event queued
        synchronized (output) {
            first = closing.compareAndSet(false, true);
            if (first) {
                frames.clear();
                backlog.clear();
                frames.offer("event: overflow\ndata: " + JsonObject.newBuilder().set("detail", reason).build()
                        + "\n\n");
            }
        }
        if (first) {
            LOG.info("Event stream of API client '{}' overflowed; closing it", client);
            onClosed.accept(this);
            writer.execute(this::drain);
        }
    }

    /** Closes at once, whatever is still queued (the hub stops, or the client did not take the overflow event). */
    void close() {
        closing.set(true);
        finish();
    }

    boolean isClosing() {
        return closing.get();
    }

    /** Lets the stream write: after {@code setWriteListener} (so no write is ever a blocking one) and subscribing. */
    void start() {
        started = true;
        writer.execute(this::drain);
    }

    /** Writes what is queued while the client takes it; the container calls back when it can take more. */
    void drain() {
        synchronized (output) {
            if (closed.get() || !started) {
                return;
            }
            try {
                while (out.isReady()) {
                    String frame = backlog.poll();
                    if (frame == null) {
                        frame = frames.poll();
                    }
                    if (frame != null) {
                        out.write(frame.getBytes(StandardCharsets.UTF_8));
                        unflushed = true;
                    } else if (unflushed) {
                        unflushed = false;
                        out.flush();
                    } else {
                        if (closing.get()) {
                            finish();
                        }
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Event stream of API client '{}' ended: {}", client, e.toString());
                finish();
            }
        }
    }

    private void finish() {
        if (closed.compareAndSet(false, true)) {
            closing.set(true);
            onClosed.accept(this);
            try {
                async.complete();
            } catch (RuntimeException e) {
                LOG.debug("Completing the event stream of API client '{}': {}", client, e.toString());
            }
        }
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable failure) {
        LOG.debug("Event stream of API client '{}' failed: {}", client, failure.toString());
        finish();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        closed.set(true);
        closing.set(true);
        onClosed.accept(this);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
