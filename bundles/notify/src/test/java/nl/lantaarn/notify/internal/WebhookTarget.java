package nl.lantaarn.notify.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A webhook receiver on a free 127.0.0.1 port; {@code answer} gives the status for each request (and may block). */
final class WebhookTarget implements AutoCloseable {

    record Request(String body, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    WebhookTarget(ToIntFunction<Request> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/hook", exchange -> handle(exchange, answer));
        server.start();
    }

    private void handle(HttpExchange exchange, ToIntFunction<Request> answer) throws IOException {
        try (exchange) {
            Request request = new Request(new String(exchange.getRequestBody().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8), exchange.getRequestHeaders());
            requests.add(request);
            int status = answer.applyAsInt(request);
            exchange.sendResponseHeaders(status, -1);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=abc";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
