package nl.lantaarn.adapter.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.adapter.api.InboundMessage;

/**
 * An HTTP GET of a URL at a fixed delay: each 2xx response body is a payload (origin: the URL, attribute
 * {@link InboundMessage#CONTENT_TYPE}); any other status becomes a dead letter naming it; a failed request marks the
 * instance DEGRADED until a request works again. Polls are skipped while the instance does not map (waiting for its
 * adapter type, stopped): the source keeps its data, so nothing is lost.
 */
final class PollTransport implements Transport {

    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    private final AdapterInstance instance;
    private final URI url;
    private final Duration interval;
    private final RuntimeContext context;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> next;

    PollTransport(AdapterInstance instance, Inbound inbound, RuntimeContext context) {
        this.instance = instance;
        this.url = URI.create(inbound.source());
        this.interval = inbound.interval();
        this.context = context;
        schedule(0);
    }

    private void schedule(long delayMillis) {
        if (closed) {
            return;
        }
        try {
            next = context.scheduler.schedule(this::trigger, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the runtime is shutting down
        }
    }

    private void trigger() {
        try {
            context.blocking.execute(this::pollOnce);
        } catch (RejectedExecutionException e) {
            // the runtime is shutting down
        }
    }

    private void pollOnce() {
        try {
            if (!closed && instance.isMapping()) {
                fetch();
            }
        } catch (RuntimeException e) {
            instance.transportProblem("GET " + url + " failed: " + e);
        } finally {
            schedule(interval.toMillis());
        }
    }

    private void fetch() {
        Duration timeout = interval.compareTo(MAX_TIMEOUT) < 0 ? interval : MAX_TIMEOUT;
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        int max = instance.maxPayloadBytes();
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = context.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(max + 1); // bounded: never more than one byte past the limit
            }
        } catch (IOException e) {
            instance.transportProblem("GET " + url + " failed: " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        instance.transportProblem(null);
        Instant now = Instant.now();
        String origin = url.toString();
        boolean tooLarge = body.length > max;
        if (tooLarge) {
            body = Arrays.copyOf(body, max);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            instance.deadLetterUnqueued(origin, body, now, "GET " + origin + " answered HTTP " + status
                    + ", expected 2xx" + (tooLarge ? " (body cut at " + max + " bytes)" : ""));
        } else if (tooLarge) {
            instance.deadLetterUnqueued(origin, body, now, "response body of more than " + max
                    + " bytes exceeds the limit (maxPayloadBytes in etc/nl.lantaarn.adapter.runtime.cfg); only the first "
                    + max + " bytes are kept here");
        } else {
            Map<String, String> attributes = response.headers().firstValue("Content-Type")
                    .map(type -> Map.of(InboundMessage.CONTENT_TYPE, type)).orElse(Map.of());
            instance.offer(new InboundMessage(origin, body, now, attributes));
        }
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
    }
}
