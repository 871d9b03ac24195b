package nl.lantaarn.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.lantaarn.adapter.admin.AdapterAdmin;
import nl.lantaarn.adapter.admin.AdapterStatus;
import nl.lantaarn.adapter.admin.UnknownAdapterException;
import nl.lantaarn.security.api.ApiClient;
import nl.lantaarn.security.api.Role;

/**
 * {@code /adapters}: status of every adapter instance, stopping and starting them, their configuration files and the
 * adapter bundles in {@code deploy/}. Every request needs an API key. Status, stop and start need the adapter runtime
 * (503 without it); configuration files and bundles are plain files that FileInstall applies, so they work without.
 */
final class AdapterRoute {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterRoute.class);

    static final int MAX_CONFIGURATION_BYTES = 64 * 1024;
    static final long MAX_BUNDLE_BYTES = 50L * 1024 * 1024;
    static final String JAR_TYPE = "application/java-archive";

    private final Authentication authentication;
    private final Supplier<AdapterAdmin> admin;
    private final AdapterFiles files;

    AdapterRoute(Authentication authentication, Supplier<AdapterAdmin> admin, AdapterFiles files) {
        this.authentication = authentication;
        this.admin = admin;
        this.files = files;
    }

    /** {@code rest} is the path after {@code /adapters}: empty, {@code /bundles[/..]} or {@code /{id}[/..]}. */
    void handle(String method, String rest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String[] parts = rest.isEmpty() || rest.equals("/") ? new String[0] : rest.substring(1).split("/", -1);
        if (parts.length == 0) {
            if (allowed(method, response, "GET, HEAD")) {
                withClient(request, response, client -> list(response));
            }
        } else if (parts[0].equals("bundles") && parts.length == 1) {
            if (allowed(method, response, "GET, HEAD, POST")) {
                if (method.equals("POST")) {
                    // a bundle is code that runs inside the hub: installing one is the admin's
                    withClient(request, response, Role.ADMIN, "Installing an adapter bundle needs",
                            client -> upload(client, request, response));
                } else {
                    withClient(request, response, client -> listBundles(response));
                }
            }
        } else if (parts[0].equals("bundles") && parts.length == 2 && !parts[1].isEmpty()) {
            if (allowed(method, response, "DELETE")) {
                withClient(request, response, Role.ADMIN, "Removing an adapter bundle needs",
                        client -> removeBundle(client, parts[1], response));
            }
        } else if (parts.length == 1 && !parts[0].isEmpty()) {
            if (allowed(method, response, "GET, HEAD")) {
                withClient(request, response, client -> one(parts[0], response));
            }
        } else if (parts.length == 2 && (parts[1].equals("stop") || parts[1].equals("start"))) {
            if (allowed(method, response, "POST")) {
                withClient(request, response, client -> stopOrStart(client, parts[0], parts[1], response));
            }
        } else if (parts.length == 2 && parts[1].equals("configuration")) {
            if (allowed(method, response, "PUT, DELETE")) {
                withClient(request, response, client -> {
                    if (method.equals("PUT")) {
                        putConfiguration(client, parts[0], request, response);
                    } else {
                        deleteConfiguration(client, parts[0], response);
                    }
                });
            }
        } else {
            ApiServlet.problem(response, 404, "Not found", "There is no resource at /api/v1/adapters" + rest
                    + "; the resources are /adapters, /adapters/{id}, /adapters/{id}/stop, /adapters/{id}/start, "
                    + "/adapters/{id}/configuration, /adapters/bundles and /adapters/bundles/{symbolicName}.");
        }
    }

    private interface Action {
        void run(ApiClient client) throws IOException;
    }

    private void withClient(HttpServletRequest request, HttpServletResponse response, Action action)
            throws IOException {
        withClient(request, response, Role.OPERATOR, "The adapter API needs", action);
    }

    private void withClient(HttpServletRequest request, HttpServletResponse response, Role needed, String what,
            Action action) throws IOException {
        Optional<ApiClient> client = authentication.require(request, response, needed, what);
        if (client.isPresent()) {
            action.run(client.get());
        }
    }

    private static boolean allowed(String method, HttpServletResponse response, String allow) throws IOException {
        List<String> methods = List.of(allow.split(", "));
        boolean ok = methods.contains(method);
        if (!ok) {
            response.setHeader("Allow", allow);
            ApiServlet.problem(response, 405, "Method not allowed", method + " is not supported here; use "
                    + allow + ".");
        }
        return ok;
    }

    /** The adapter runtime, or empty after answering 503. */
    private Optional<AdapterAdmin> runtime(HttpServletResponse response) throws IOException {
        AdapterAdmin current = admin.get();
        if (current == null) {
            unavailable(response);
        }
        return Optional.ofNullable(current);
    }

    static void unavailable(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "10");
        ApiServlet.problem(response, 503, "Adapter runtime not available", "The adapter runtime (bundle "
                + "nl.lantaarn.adapter.runtime) is not running, so there is no adapter status and no payload can be "
                + "handed to an adapter; /api/v1/health says why. Configuration files and bundles can still be "
                + "managed under /api/v1/adapters/{id}/configuration and /api/v1/adapters/bundles.");
    }

    private void list(HttpServletResponse response) throws IOException {
        Optional<AdapterAdmin> runtime = runtime(response);
        if (runtime.isEmpty()) {
            return;
        }
        var array = JsonArray.newBuilder();
        AdapterAdmin admin = runtime.get();
        admin.list().forEach(status -> array.add(AdapterJson.status(status, admin.commands(status.id()))));
        ApiServlet.json(response, 200, array.build().toString());
    }

    private void one(String id, HttpServletResponse response) throws IOException {
        Optional<AdapterAdmin> runtime = runtime(response);
        if (runtime.isEmpty()) {
            return;
        }
        Optional<AdapterStatus> status = runtime.get().status(id);
        if (status.isEmpty()) {
            unknown(runtime.get(), id, response);
            return;
        }
        ApiServlet.json(response, 200, AdapterJson.status(status.get(), runtime.get().commands(id)).toString());
    }

    private static void unknown(AdapterAdmin runtime, String id, HttpServletResponse response) throws IOException {
        List<String> ids = runtime.list().stream().map(AdapterStatus::id).toList();
        ApiServlet.problem(response, 404, "Adapter not found", "There is no adapter instance '"
                + AdapterFiles.shorten(id) + "'; " + (ids.isEmpty() ? "no instance is configured"
                        : "the instances are " + String.join(", ", ids)) + ". An instance is created by its "
                + "configuration: PUT /api/v1/adapters/{id}/configuration.");
    }

    private void stopOrStart(ApiClient client, String id, String action, HttpServletResponse response)
            throws IOException {
        Optional<AdapterAdmin> runtime = runtime(response);
        if (runtime.isEmpty()) {
            return;
        }
        try {
            if (action.equals("stop")) {
                runtime.get().stop(id);
            } else {
                runtime.get().start(id);
            }
        } catch (UnknownAdapterException e) {
            unknown(runtime.get(), id, response);
            return;
        }
        LOG.info("{} {} adapter {}", client.name(), action.equals("stop") ? "stopped" : "started", id);
        response.setStatus(204);
    }

    private void putConfiguration(ApiClient client, String id, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        try {
            AdapterFiles.Instance instance = AdapterFiles.instance(id);
            if (!Bodies.mediaType(request).equals("application/json")) {
                throw new AdapterFiles.Refused(415, "Unsupported media type", "PUT needs Content-Type: "
                        + "application/json with an object of string properties, e.g. {\"appId\":\"eindhoven\"}.");
            }
            byte[] body;
            try {
                body = Bodies.read(request, MAX_CONFIGURATION_BYTES);
            } catch (Bodies.TooLarge e) {
                throw new AdapterFiles.Refused(413, "Content too large", "A configuration is at most "
                        + Bodies.size(MAX_CONFIGURATION_BYTES) + ".");
            }
            JsonObject object = object(body);
            Map<String, String> properties = AdapterFiles.properties(object);
            String file = "etc/" + files.configFile(instance).getFileName();
            boolean created = files.writeConfiguration(instance, properties, client.name());
            // the values may hold credentials: only the keys are logged
            LOG.info("{} wrote {} ({})", client.name(), file,
                    properties.keySet().stream().collect(Collectors.joining(", ")));
            ApiServlet.json(response, 202, JsonObject.newBuilder()
                    .set("id", instance.id())
                    .set("file", file)
                    .set("created", created)
                    .build().toString());
        } catch (AdapterFiles.Refused e) {
            refuse(response, e);
        }
    }

    private static JsonObject object(byte[] body) throws AdapterFiles.Refused {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonValue value;
        try {
            ThingWriteRoute.checkDepth(text);
            value = text.isBlank() ? null : org.eclipse.ditto.json.JsonFactory.readFrom(text);
        } catch (RuntimeException e) {
            value = null;
        }
        if (value == null || !value.isObject()) {
            throw new AdapterFiles.Refused(400, "Bad request", "The body must be a JSON object of string properties, "
                    + "e.g. {\"appId\":\"eindhoven\",\"region\":\"eu1\"}.");
        }
        return value.asObject();
    }

    private void deleteConfiguration(ApiClient client, String id, HttpServletResponse response) throws IOException {
        try {
            AdapterFiles.Instance instance = AdapterFiles.instance(id);
            String file = "etc/" + files.configFile(instance).getFileName();
            if (!files.deleteConfiguration(instance)) {
                throw new AdapterFiles.Refused(404, "Configuration not found", "There is no file " + file
                        + " for adapter instance '" + instance.id() + "'.");
            }
            LOG.info("{} removed {}", client.name(), file);
            response.setStatus(204);
        } catch (AdapterFiles.Refused e) {
            refuse(response, e);
        }
    }

    private void listBundles(HttpServletResponse response) throws IOException {
        var array = JsonArray.newBuilder();
        for (AdapterFiles.Jar jar : files.jars()) {
            array.add(JsonObject.newBuilder()
                    .set("file", "deploy/" + jar.file())
                    .set("symbolicName", AdapterJson.text(jar.symbolicName()))
                    .set("version", AdapterJson.text(jar.version()))
                    .set("size", jar.size())
                    .set("modified", jar.modified().toString())
                    .set("state", AdapterJson.text(jar.state()))
                    .build());
        }
        ApiServlet.json(response, 200, array.build().toString());
    }

    private void upload(ApiClient client, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = Bodies.mediaType(request);
        if (!type.equals(JAR_TYPE) && !type.equals("application/x-java-archive")) {
            response.setHeader("Connection", "close");
            ApiServlet.problem(response, 415, "Unsupported media type", "POST needs the bundle jar as the body, with "
                    + "Content-Type: " + JAR_TYPE + (type.isEmpty() ? "; the request has none." : ", was '" + type
                            + "'."));
            return;
        }
        Path upload = files.newUpload();
        try {
            try (OutputStream out = files.open(upload)) {
                Bodies.copy(request, out, MAX_BUNDLE_BYTES);
            } catch (Bodies.TooLarge e) {
                throw new AdapterFiles.Refused(413, "Content too large", "A bundle is at most "
                        + Bodies.size(MAX_BUNDLE_BYTES) + ".");
            }
            AdapterFiles.Deployed deployed = files.deploy(upload);
            LOG.info("{} deployed bundle {} {} to deploy/{}", client.name(), deployed.symbolicName(),
                    deployed.version(), deployed.file());
            ApiServlet.json(response, 202, JsonObject.newBuilder()
                    .set("symbolicName", deployed.symbolicName())
                    .set("version", deployed.version())
                    .set("file", "deploy/" + deployed.file())
                    .set("replaced", deployed.replaced())
                    .build().toString());
        } catch (AdapterFiles.Refused e) {
            refuse(response, e);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private void removeBundle(ApiClient client, String symbolicName, HttpServletResponse response)
            throws IOException {
        if (!AdapterFiles.SYMBOLIC_NAME.matcher(symbolicName).matches()) {
            ApiServlet.problem(response, 400, "Invalid symbolic name", "'" + AdapterFiles.shorten(symbolicName)
                    + "' is not a bundle symbolic name; GET /api/v1/adapters/bundles lists the deployed ones.");
            return;
        }
        Optional<Path> jar = files.jarOf(symbolicName);
        if (jar.isEmpty()) {
            List<String> names = files.jars().stream().map(AdapterFiles.Jar::symbolicName)
                    .filter(name -> name != null).toList();
            ApiServlet.problem(response, 404, "Bundle not found", "No jar in deploy/ holds bundle " + symbolicName
                    + "; " + (names.isEmpty() ? "deploy/ holds no bundles" : "it holds " + String.join(", ", names))
                    + ".");
            return;
        }
        Files.delete(jar.get());
        LOG.info("{} removed deploy/{}", client.name(), jar.get().getFileName());
        response.setStatus(204);
    }

    private static void refuse(HttpServletResponse response, AdapterFiles.Refused e) throws IOException {
        if (e.status == 413 || e.status == 415) {
            response.setHeader("Connection", "close");
        }
        ApiServlet.problem(response, e.status, e.title, e.getMessage());
    }
}
