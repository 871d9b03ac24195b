package nl.lantaarn.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on a free 127.0.0.1 port, as an alert receiver (e.g. the police's) runs one: records every POST
 * and answers 204 (or, told so, refuses every request as a receiver that is down). Checks the hub's
 * {@code X-Lantaarn-Signature} as a receiver would.
 */
final class WebhookReceiver implements AutoCloseable {

    static final String PATH = "/alerts";

    /** One request received. */
    record Request(String method, String body, String signature, String alertId) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile int status = 204;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on a free port of 127.0.0.1", e);
        }
        server.setExecutor(executor);
        server.createContext(PATH, this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // the body is a few hundred bytes; more would be a fault of the sender
            byte[] body = exchange.getRequestBody().readNBytes(64 * 1024);
            int answer = status;
            if (answer >= 300) {
                // a receiver that is down: the request is not taken
                refused.incrementAndGet();
                exchange.sendResponseHeaders(answer, -1);
                return;
            }
            requests.add(new Request(exchange.getRequestMethod(), new String(body, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Lantaarn-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Lantaarn-Alert-Id")));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** From now on answers every request with this status; 300 or more: refused, not recorded. Default 204. */
    void answer(int newStatus) {
        status = newStatus;
    }

    /** Requests answered with a status of 300 or more. */
    int refused() {
        return refused.get();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Whether {@code signature} is {@code sha256=<hex HMAC-SHA256(secret, body)>}, compared in constant time. */
    static boolean signedWith(String secret, Request request) {
        if (request.signature() == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of()
                    .formatHex(mac.doFinal(request.body().getBytes(StandardCharsets.UTF_8)));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    request.signature().getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
