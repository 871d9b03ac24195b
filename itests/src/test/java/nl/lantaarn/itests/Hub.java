package nl.lantaarn.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * The running hub as a test inside the framework sees it: its home, its HTTP API over a real socket, its bundles.
 * Values come from the framework properties that {@link HubTestOptions} set.
 */
final class Hub {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final BundleContext context;
    private final HttpClient http;
    private final URI base;

    private Hub(BundleContext context) {
        this.context = context;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.base = URI.create("http://127.0.0.1:" + property(HubTestOptions.HTTP_PORT) + "/");
    }

    /** The hub of the framework {@code testClass} runs in. */
    static Hub of(Class<?> testClass) {
        Bundle probe = FrameworkUtil.getBundle(testClass);
        if (probe == null) {
            throw new IllegalStateException(testClass + " does not run inside an OSGi framework");
        }
        return new Hub(probe.getBundleContext());
    }

    BundleContext context() {
        return context;
    }

    Path home() {
        return Paths.get(property(HubTestOptions.HOME));
    }

    String property(String name) {
        String value = context.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("Framework property " + name + " is not set (see HubTestOptions)");
        }
        return value;
    }

    int intProperty(String name) {
        return Integer.parseInt(property(name));
    }

    /** GET on the hub's HTTP API, with the tests' API key. */
    Response get(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .header("X-API-Key", HubHome.API_KEY).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(path, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted during GET " + request.uri(), e);
        }
    }

    Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    /** One HTTP response; {@link #json()} parses it with Ditto's JSON library, which the hub uses too. */
    record Response(String path, int status, String contentType, String body) {

        JsonValue json() {
            try {
                return JsonFactory.readFrom(body);
            } catch (RuntimeException e) {
                throw new AssertionError("GET " + path + " did not return JSON: " + body, e);
            }
        }

        JsonObject jsonObject() {
            JsonValue value = json();
            if (!value.isObject()) {
                throw new AssertionError("GET " + path + " did not return a JSON object: " + body);
            }
            return value.asObject();
        }

        @Override
        public String toString() {
            return "GET " + path + " -> " + status + " " + contentType + " " + body;
        }
    }

    /** The value at a slash-separated path in a JSON object, e.g. {@code features/noise/properties/laeq}. */
    static Optional<JsonValue> at(JsonObject object, String pointer) {
        return object.getValue(JsonPointer.of(pointer));
    }
}
