package nl.lantaarn.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.changes.ChangeAction;
import org.eclipse.ditto.client.configuration.AccessTokenAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.jwt.model.Audience;
import org.eclipse.ditto.jwt.model.JsonWebToken;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The unmodified Eclipse Ditto Java client 2.4.0 against the real hub: {@code ./lantaarn} as a child process in its
 * own home on free ports ({@link LauncherProcess}), the client connecting to {@code ws://127.0.0.1:<port>/ws/2} with
 * an API key as its bearer access token. A second partner, whose policy file in the hub home's {@code policies/}
 * hides one property from it, retrieves the thing through the same client without that property.
 */
class DittoClientIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
    private static final String KEY = "ditto-partner-key-0123456789";
    /** A second partner, role reader, whose policy file hides the equivalent sound level laeq from it. */
    private static final String APP_KEY = "ditto-wijkapp-key-0123456789";
    private static final ThingId LAMP = ThingId.of("nl.itest.lighting:ditto-lamp-1");
    private static final ThingId NOISE = ThingId.of("nl.itest.safety:ditto-noise-1");
    private static final String APP_POLICY = """
            {"policyId": "nl.itest:wijkapp", "entries": {
              "wijkapp": {
                "subjects": {"lantaarn:client:wijkapp": {"type": "neighbourhood app"}},
                "resources": {"thing:/features/noise/properties/laeq": {"grant": [], "revoke": ["READ"]}}
              }
            }}
            """;

    private LauncherProcess.Runs runs;
    private int httpPort;

    @BeforeEach
    void startHub(TestInfo test) throws IOException {
        runs = LauncherProcess.Runs.of(getClass(), test.getTestMethod().orElseThrow().getName(), PATIENCE);
        runs.assertDistributionFresh();
        httpPort = HubTestOptions.freePort();
        int mqttPort = HubTestOptions.freePort();
        Path home = runs.work().resolve("home");
        Path etc = Files.createDirectories(home.resolve("etc"));
        try (Stream<Path> files = Files.list(runs.repository().resolve("etc"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".cfg")).toList()) {
                Files.copy(file, etc.resolve(file.getFileName()));
            }
        }
        Path broker = etc.resolve("nl.lantaarn.mqtt.broker.cfg");
        Files.writeString(broker, Files.readString(broker, StandardCharsets.UTF_8)
                .replaceAll("(?m)^host\\s*=.*$", "host = 127.0.0.1"), StandardCharsets.UTF_8);
        Files.writeString(etc.resolve("org.apache.felix.http.cfg"), "org.osgi.service.http.host = 127.0.0.1\n"
                + "org.osgi.service.http.port = " + httpPort + "\n");
        Files.writeString(etc.resolve("nl.lantaarn.http.auth.cfg"), "apiKeyHashes = partner:sha256:"
                + HubHome.sha256(KEY) + "\n");
        // the second partner as ./lantaarn clients add writes it, and the policies: the shipped default and its file
        Files.writeString(etc.resolve("nl.lantaarn.http.client-wijkapp.cfg"), """
                name = wijkapp
                roles = reader
                purpose = neighbourhood information
                keyHash = sha256:%s
                """.formatted(HubHome.sha256(APP_KEY)));
        Path policies = Files.createDirectories(home.resolve("policies"));
        Files.copy(runs.repository().resolve("policies/default.json"), policies.resolve("default.json"));
        Files.writeString(policies.resolve("wijkapp.json"), APP_POLICY, StandardCharsets.UTF_8);
        LauncherProcess hub = runs.launchHub("hub", home, httpPort, mqttPort, "start");
        hub.awaitReadyLine();
    }

    @AfterEach
    void stopHub() throws Exception {
        runs.stopAll(STOP_PATIENCE);
    }

    @Test
    void theDittoClientCreatesChangesHearsRetrievesAndSearches() throws Exception {
        DittoClient client = connect(KEY);
        try {
            CompletableFuture<JsonValue> heard = new CompletableFuture<>();
            client.twin().startConsumption(Options.Consumption.namespaces("nl.itest.lighting"))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            client.twin().forFeature(LAMP, "lamp").registerForPropertyChanges("dim-changes", JsonPointer.of("dim"),
                    change -> {
                        if (change.getAction() == ChangeAction.UPDATED) {
                            heard.complete(change.getValue().orElse(null));
                        }
                    });

            Thing lamp = ThingsModelFactory.newThingBuilder().setId(LAMP)
                    .setAttribute(JsonPointer.of("zone"), JsonValue.of("stratumseind"))
                    .setFeatureProperty("lamp", JsonPointer.of("dim"), JsonValue.of(40))
                    .build();
            Thing created = client.twin().create(lamp).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(created.getEntityId()).contains(LAMP);

            client.twin().forFeature(LAMP, "lamp").putProperty("dim", 80)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(heard.get(30, TimeUnit.SECONDS)).isEqualTo(JsonValue.of(80));

            Thing retrieved = client.twin().forId(LAMP).retrieve().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(retrieved.getFeatures().flatMap(f -> f.getFeature("lamp")).flatMap(f -> f.getProperty("dim")))
                    .contains(JsonValue.of(80));
            assertThat(retrieved.getAttributes().flatMap(a -> a.getValue("zone")))
                    .contains(JsonValue.of("stratumseind"));

            // the search index follows the twin's events: eventually consistent
            List<ThingId> found = org.awaitility.Awaitility.await("the lamp in the search").atMost(PATIENCE)
                    .until(() -> client.twin().search()
                            .stream(query -> query.namespace("nl.itest.lighting")
                                    .filter("eq(features/lamp/properties/dim,80)")
                                    .options(options -> options.size(10)))
                            .map(thing -> thing.getEntityId().orElseThrow())
                            .collect(Collectors.toList()), ids -> !ids.isEmpty());
            assertThat(found).containsExactly(LAMP);
            assertThat(client.twin().search().stream(query -> query.filter("eq(features/lamp/properties/dim,81)"))
                    .collect(Collectors.toList())).isEmpty();
        } finally {
            client.destroy();
        }
    }

    @Test
    void aPartnerWhosePolicyHidesAPropertyRetrievesTheThingWithoutIt() throws Exception {
        DittoClient partner = connect(KEY);
        DittoClient app = connect(APP_KEY);
        try {
            Thing noise = ThingsModelFactory.newThingBuilder().setId(NOISE)
                    .setAttribute(JsonPointer.of("zone"), JsonValue.of("stratumseind"))
                    .setFeatureProperty("noise", JsonPointer.of("laeq"), JsonValue.of(71.5))
                    .setFeatureProperty("noise", JsonPointer.of("lamax"), JsonValue.of(80.1))
                    .build();
            partner.twin().create(noise).toCompletableFuture().get(30, TimeUnit.SECONDS);

            Thing seen = app.twin().forId(NOISE).retrieve().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(seen.getEntityId()).contains(NOISE);
            assertThat(property(seen, "lamax")).contains(JsonValue.of(80.1));
            assertThat(property(seen, "laeq")).isEmpty();
            assertThat(seen.toJsonString()).doesNotContain("71.5");

            Thing all = partner.twin().forId(NOISE).retrieve().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(property(all, "laeq")).contains(JsonValue.of(71.5));
            assertThat(property(all, "lamax")).contains(JsonValue.of(80.1));

            // a reader may not write: the Ditto client's call fails with Ditto's 403
            assertThatThrownBy(() -> app.twin().forFeature(NOISE, "noise").putProperty("lamax", 1)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .hasStackTraceContaining("needs role writer").hasStackTraceContaining("'wijkapp'");
            Thing after = partner.twin().forId(NOISE).retrieve().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(property(after, "lamax")).contains(JsonValue.of(80.1));
        } finally {
            app.destroy();
            partner.destroy();
        }
    }

    private static java.util.Optional<JsonValue> property(Thing thing, String name) {
        return thing.getFeatures().flatMap(f -> f.getFeature("noise")).flatMap(f -> f.getProperty(name));
    }

    @Test
    void withoutOrWithAWrongKeyTheConnectionIsRefused() throws Exception {
        assertThatThrownBy(() -> connect("not-a-key-of-this-hub")).hasStackTraceContaining("401");
        java.net.http.HttpResponse<String> anonymous = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + "/ws/2"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> v.startsWith("Bearer"));
        assertThat(JsonObject.of(anonymous.body()).getValue("description").map(JsonValue::asString))
                .hasValueSatisfying(d -> assertThat(d).contains("nl.lantaarn.http.auth.cfg"));
    }

    private DittoClient connect(String key) throws Exception {
        JsonWebToken token = new ApiKeyToken(key);
        return DittoClients.newInstance(MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint("ws://127.0.0.1:" + httpPort)
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .timeout(Duration.ofSeconds(30))
                        .reconnectEnabled(false)
                        .initialConnectRetryEnabled(false)
                        .connectionErrorHandler(error -> { })
                        .build(),
                AuthenticationProviders.accessToken(AccessTokenAuthenticationConfiguration.newBuilder()
                        .identifier("itest-partner")
                        .accessTokenSupplier(() -> token)
                        .build())))
                .connect().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** The hub's bearer tokens are API keys, not JWTs: the client only sends getToken() and reads the expiry. */
    private record ApiKeyToken(String key) implements JsonWebToken {
        @Override public String getToken() { return key; }
        @Override public JsonObject getHeader() { return JsonObject.empty(); }
        @Override public JsonObject getBody() { return JsonObject.empty(); }
        @Override public String getKeyId() { return ""; }
        @Override public String getIssuer() { return ""; }
        @Override public String getSignature() { return ""; }
        @Override public List<String> getSubjects() { return List.of(); }
        @Override public Audience getAudience() { return Audience.empty(); }
        @Override public String getAuthorizedParty() { return ""; }
        @Override public List<String> getScopes() { return List.of(); }
        @Override public Instant getExpirationTime() { return Instant.now().plus(Duration.ofDays(365)); }
        @Override public boolean isExpired() { return false; }
    }
}
