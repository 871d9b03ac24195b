package nl.lantaarn.http.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.IngestResult;
import nl.lantaarn.adapter.admin.UnknownAdapterException;
import nl.lantaarn.deadletter.api.DeadLetter;
import nl.lantaarn.deadletter.api.DeadLetterQuery;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * {@code /dead-letters}: listing with filters and one dead letter by id (read anonymously, as before), and replay of
 * one or of every matching dead letter through the adapter runtime (with an API key).
 */
final class DeadLetterRoute {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRoute.class);

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_REPLAY_LIMIT = 1000;
    static final int MAX_REPLAY_LIMIT = 10_000;
    /** A bulk replay stops starting new replays after this; the rest are reported as skipped. */
    static final Duration BULK_DEADLINE = Duration.ofSeconds(60);

    private final DeadLetterService deadLetters;
    private final Supplier<AdapterAdmin> admin;
    private final Authentication authentication;
    private final Duration wait;

    DeadLetterRoute(DeadLetterService deadLetters, Supplier<AdapterAdmin> admin, Authentication authentication,
            Duration wait) {
        this.deadLetters = deadLetters;
        this.admin = admin;
        this.authentication = authentication;
        this.wait = wait;
    }

    /** Whether this route serves {@code path} (below /api/v1). */
    static boolean matches(String path) {
        return path.equals("/dead-letters") || path.startsWith("/dead-letters/");
    }

    void handle(String method, String path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String rest = path.substring("/dead-letters".length());
        String[] parts = rest.isEmpty() || rest.equals("/") ? new String[0] : rest.substring(1).split("/", -1);
        boolean read = method.equals("GET") || method.equals("HEAD");
        // dead letters hold payloads as received, which may carry personal data (a citizen report's e-mail address)
        if (read && authentication.require(request, response, Role.OPERATOR, "Reading dead letters needs")
                .isEmpty()) {
            return;
        }
        try {
            if (parts.length == 0) {
                if (allowed(read, response, "GET, HEAD")) {
                    list(request, response);
                }
            } else if (parts.length == 1 && parts[0].equals("replay")) {
                if (allowed(method.equals("POST"), response, "POST")) {
                    replayMatching(request, response);
                }
            } else if (parts.length == 1 && !parts[0].isEmpty()) {
                if (allowed(read, response, "GET, HEAD")) {
                    one(parts[0], response);
                }
            } else if (parts.length == 2 && parts[1].equals("replay")) {
                if (allowed(method.equals("POST"), response, "POST")) {
                    replayOne(parts[0], request, response);
                }
            } else {
                ApiServlet.problem(response, 404, "Not found", "There is no resource at /api/v1" + path
                        + "; the resources are /dead-letters, /dead-letters/{id}, /dead-letters/{id}/replay and "
                        + "/dead-letters/replay.");
            }
        } catch (Params.BadParameter e) {
            ApiServlet.problem(response, 400, "Bad request", e.getMessage());
        }
    }

    private static boolean allowed(boolean ok, HttpServletResponse response, String allow) throws IOException {
        if (!ok) {
            response.setHeader("Allow", allow);
            ApiServlet.problem(response, 405, "Method not allowed", "Use " + allow + " here.");
        }
        return ok;
    }

    private static DeadLetterQuery query(HttpServletRequest request, int defaultLimit, int maxLimit) {
        String source = Params.text(request, "source", 200);
        String reason = Params.text(request, "reason", 200);
        Instant since = Params.instant(request, "since");
        Instant until = Params.instant(request, "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw new Params.BadParameter("Query parameter 'since' (" + since + ") must be before 'until' (" + until
                    + ").");
        }
        int limit = Params.integer(request, "limit", defaultLimit, 1, maxLimit);
        return new DeadLetterQuery(source, reason, since, until, limit);
    }

    private void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DeadLetterQuery query = query(request, DEFAULT_LIMIT, MAX_LIMIT);
        var array = JsonArray.newBuilder();
        for (DeadLetter letter : deadLetters.list(query)) {
            array.add(summary(letter).set("payload", letter.payloadAsString()).build());
        }
        response.setHeader("X-Total-Count", Long.toString(deadLetters.count()));
        ApiServlet.json(response, 200, array.build().toString());
    }

    private static org.eclipse.ditto.json.JsonObjectBuilder summary(DeadLetter letter) {
        return JsonObject.newBuilder()
                .set("id", letter.id())
                .set("source", letter.source())
                .set("origin", letter.origin())
                .set("reason", letter.reason())
                .set("receivedAt", letter.receivedAt().toString())
                .set("payloadSize", letter.payloadSize());
    }

    private void one(String id, HttpServletResponse response) throws IOException {
        Optional<DeadLetter> letter = deadLetters.get(id);
        if (letter.isEmpty()) {
            notFound(id, response);
            return;
        }
        ApiServlet.json(response, 200, summary(letter.get())
                .set("payload", letter.get().payloadAsString())
                .set("payloadBase64", Base64.getEncoder().encodeToString(letter.get().payload()))
                .build().toString());
    }

    private static void notFound(String id, HttpServletResponse response) throws IOException {
        ApiServlet.problem(response, 404, "Dead letter not found", "There is no dead letter '"
                + AdapterFiles.shorten(id) + "' (it may have been replayed successfully, which removes it); "
                + "GET /api/v1/dead-letters lists the ones there are.");
    }

    private Optional<AdapterAdmin> replayer(HttpServletRequest request, HttpServletResponse response, String what)
            throws IOException {
        Optional<ApiClient> client = authentication.require(request, response, Role.OPERATOR, what);
        if (client.isEmpty()) {
            return Optional.empty();
        }
        AdapterAdmin current = admin.get();
        if (current == null) {
            AdapterRoute.unavailable(response);
            return Optional.empty();
        }
        LOG.debug("{} replays dead letters", client.get().name());
        return Optional.of(current);
    }

    private void replayOne(String id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<AdapterAdmin> runtime = replayer(request, response, "Replaying a dead letter needs");
        if (runtime.isEmpty()) {
            return;
        }
        Outcome outcome = replay(runtime.get(), id, wait);
        switch (outcome.kind) {
            case DONE -> ApiServlet.json(response, 200, AdapterJson.result(outcome.result).toString());
            case PENDING -> ApiServlet.json(response, 202, JsonObject.newBuilder().set("accepted", "pending")
                    .set("deadLetterId", id).build().toString());
            case NOT_FOUND -> notFound(id, response);
            case NO_ADAPTER -> ApiServlet.problem(response, 409, "Adapter not found", outcome.error);
            default -> ApiServlet.problem(response, 500, "Replay failed", outcome.error);
        }
    }

    private void replayMatching(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<AdapterAdmin> runtime = replayer(request, response, "Replaying dead letters needs");
        if (runtime.isEmpty()) {
            return;
        }
        DeadLetterQuery query = query(request, DEFAULT_REPLAY_LIMIT, MAX_REPLAY_LIMIT);
        long deadline = System.nanoTime() + BULK_DEADLINE.toNanos();
        int replayed = 0;
        int stillRejected = 0;
        int failed = 0;
        int pending = 0;
        int skipped = 0;
        var results = JsonArray.newBuilder();
        // one at a time, oldest first: the adapter's inbox is not flooded and payloads are replayed in their order
        List<DeadLetter> letters = deadLetters.list(query);
        for (int i = letters.size() - 1; i >= 0; i--) {
            String id = letters.get(i).id();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                skipped++;
                results.add(JsonObject.newBuilder().set("id", id).set("outcome", "skipped").build());
                continue;
            }
            Outcome outcome = replay(runtime.get(), id, wait.compareTo(Duration.ofNanos(left)) < 0 ? wait
                    : Duration.ofNanos(left));
            var entry = JsonObject.newBuilder().set("id", id);
            switch (outcome.kind) {
                case DONE -> {
                    if (outcome.result.accepted()) {
                        replayed++;
                    } else {
                        stillRejected++;
                    }
                    entry.set("outcome", outcome.result.accepted() ? "replayed" : "rejected")
                            .setAll(AdapterJson.result(outcome.result));
                }
                case PENDING -> {
                    pending++;
                    entry.set("outcome", "pending");
                }
                default -> {
                    failed++;
                    entry.set("outcome", "failed").set("error", outcome.error);
                }
            }
            results.add(entry.build());
        }
        ApiServlet.json(response, 200, JsonObject.newBuilder()
                .set("matched", letters.size())
                .set("replayed", replayed)
                .set("stillRejected", stillRejected)
                .set("failed", failed)
                .set("pending", pending)
                .set("skipped", skipped)
                .set("results", results.build())
                .build().toString());
    }

    private enum Kind { DONE, PENDING, NOT_FOUND, NO_ADAPTER, FAILED }

    private record Outcome(Kind kind, IngestResult result, String error) {
    }

    private static Outcome replay(AdapterAdmin runtime, String id, Duration wait) {
        try {
            IngestResult result = runtime.replay(id).toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(Kind.DONE, result, null);
        } catch (TimeoutException e) {
            return new Outcome(Kind.PENDING, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Kind.FAILED, null, "interrupted while waiting for the replay of " + id);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = (e instanceof ExecutionException || e instanceof CompletionException)
                    && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof NoSuchElementException) {
                return new Outcome(Kind.NOT_FOUND, null, "there is no dead letter '" + id + "'");
            }
            if (cause instanceof UnknownAdapterException) {
                return new Outcome(Kind.NO_ADAPTER, null, "Dead letter " + id + " came from an adapter instance that "
                        + "no longer exists (" + cause.getMessage() + "); configure it again (PUT "
                        + "/api/v1/adapters/{id}/configuration), then replay.");
            }
            LOG.debug("Replay of dead letter {} failed", id, cause);
            return new Outcome(Kind.FAILED, null, "The replay of dead letter " + id + " failed: " + cause
                    + "; the dead letter is kept. /api/v1/health and the log say more.");
        }
    }
}
