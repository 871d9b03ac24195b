package nl.lantaarn.bench;

import static nl.lantaarn.bench.Simulators.number;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulate citizen-reports}: residents of Eindhoven reporting problems in the public space, as Open311
 * GeoReport v2 requests ({@code POST /ingest/open311/requests.json}) and, for a share of them, Signalen signals
 * ({@code POST /ingest/citizen-reports/signalen}), over HTTP to a running hub, with an API key.
 */
@Command(name = "citizen-reports", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate citizen reports about the public space in Eindhoven: Open311 GeoReport v2 requests "
                + "(form fields service_code, lat, long, address_string, description, email, phone, first_name, "
                + "last_name) to /ingest/open311/requests.json, and a share as Signalen signals (JSON) to "
                + "/ingest/<webhook>/signalen.",
            "Categories are those the hub lists at /ingest/open311/services.json. Reporters come from a pool of "
                + "40 made-up residents, so pseudonyms repeat; some write their phone number in the text.",
            "Needs one of the hub's API keys: --api-key-file, or the environment variable LANTAARN_API_KEY."})
final class CitizenReportsCommand implements Callable<Integer> {

    static final String KEY_ENV = "LANTAARN_API_KEY";
    static final String PORT_ENV = "LANTAARN_HTTP_PORT";
    static final int DEFAULT_PORT = 8080;
    private static final int MAX_IN_FLIGHT = 32;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern REQUEST_ID = Pattern.compile("\"service_request_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern THING_ID = Pattern.compile("[a-z]{2}\\.[a-z0-9-]+\\.citizen:report-([a-z0-9-]+)");
    private static final Pattern DESCRIPTION =
            Pattern.compile("\"(?:description|detail)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SERVICE = Pattern.compile("\\{[^{}]*\"service_code\"\\s*:\\s*\"([^\"]+)\"[^{}]*\\}");
    private static final Pattern GROUP = Pattern.compile("\"group\"\\s*:\\s*\"([^\"]*)\"");

    @Spec
    private CommandSpec spec;

    @Option(names = "--reports", paramLabel = "N", defaultValue = "20",
            description = "Number of reports to send (default: ${DEFAULT-VALUE}).")
    private int reports;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "1",
            description = "Reports per second (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = "--signalen", paramLabel = "F", defaultValue = "0.2",
            description = "Share of the reports sent as Signalen signals, 0 to 1 (default: ${DEFAULT-VALUE}).")
    private double signalenShare;

    @Option(names = "--url", paramLabel = "URL",
            description = "The hub (default: http://127.0.0.1 with the running hub's HTTP port, from "
                    + "<home>/data/run/hub.properties; else " + PORT_ENV + "; else " + DEFAULT_PORT + ").")
    private String url;

    @Option(names = "--api-key-file", paramLabel = "F",
            description = "File holding the API key (default: the environment variable " + KEY_ENV + ").")
    private Path apiKeyFile;

    @Option(names = "--jurisdiction", paramLabel = "J",
            description = "Open311 jurisdiction_id to send (needed when the hub serves several municipalities).")
    private String jurisdiction;

    @Option(names = "--signalen-webhook", paramLabel = "NAME", defaultValue = "citizen-reports",
            description = "Webhook name of the citizen-reports instance for Signalen (default: ${DEFAULT-VALUE}).")
    private String webhook;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for the random reports, to repeat a run.")
    private Long seed;

    private final AtomicLong open311Accepted = new AtomicLong();
    private final AtomicLong signalenAccepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstRejection = new AtomicReference<>();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final AtomicReference<String> firstId = new AtomicReference<>();
    private final AtomicReference<String> authProblem = new AtomicReference<>();

    @Override
    public Integer call() {
        validate();
        Map<String, String> env = System.getenv();
        try {
            URI base = baseUri(url, BrokerTarget.home(env), env);
            String key = apiKey(apiKeyFile, env);
            return run(base, key);
        } catch (ToolException e) {
            System.err.println("simulate citizen-reports: " + e.getMessage());
            return 1;
        }
    }

    private void validate() {
        Simulators.requireAtLeastOne(spec, "--reports", reports);
        Simulators.requirePositive(spec, "--rate", rate);
        if (!(signalenShare >= 0 && signalenShare <= 1)) {
            throw new ParameterException(spec.commandLine(), "--signalen must be between 0 and 1, not "
                    + signalenShare);
        }
        if (!webhook.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new ParameterException(spec.commandLine(), "--signalen-webhook must be lower-case letters, digits "
                    + "and dashes, e.g. citizen-reports, not '" + webhook + "'");
        }
    }

    /**
     * The hub's base URI: {@code --url}, else the running hub's HTTP port on 127.0.0.1, else {@value #PORT_ENV}, else
     * {@value #DEFAULT_PORT}.
     */
    static URI baseUri(String url, Path home, Map<String, String> env) throws ToolException {
        if (url != null && !url.isBlank()) {
            try {
                URI uri = new URI(url.strip().replaceAll("/+$", ""));
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                        || uri.getHost() == null) {
                    throw new ToolException("--url must be an http(s) URL such as http://127.0.0.1:8080, not '"
                            + url + "'");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new ToolException("--url is not a URL (" + e.getReason() + "): '" + url + "'");
            }
        }
        Optional<Properties> hub = BrokerTarget.runningHub(BrokerTarget.hubInfoFile(home));
        String port = hub.map(p -> p.getProperty("http.port")).orElse(null);
        String source = "the running hub (" + BrokerTarget.hubInfoFile(home) + ")";
        if (port == null) {
            port = env.get(PORT_ENV);
            source = PORT_ENV;
        }
        if (port == null || port.isBlank()) {
            return URI.create("http://127.0.0.1:" + DEFAULT_PORT);
        }
        try {
            int number = Integer.parseInt(port.strip());
            if (number < 1 || number > 65535) {
                throw new NumberFormatException();
            }
            return URI.create("http://127.0.0.1:" + number);
        } catch (NumberFormatException e) {
            throw new ToolException(source + " has HTTP port '" + port + "', which is not a TCP port (1-65535); "
                    + "set --url");
        }
    }

    /** The API key: the file's content without surrounding white space, else {@value #KEY_ENV}. */
    static String apiKey(Path file, Map<String, String> env) throws ToolException {
        if (file != null) {
            try {
                String key = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (key.isEmpty()) {
                    throw new ToolException("the API key file " + file + " is empty; put one of the hub's API keys "
                            + "in it");
                }
                return key;
            } catch (IOException e) {
                throw new ToolException("cannot read the API key file " + file + " (" + e.getMessage()
                        + "); set --api-key-file");
            }
        }
        String key = env.get(KEY_ENV);
        if (key == null || key.isBlank()) {
            throw new ToolException("no API key: posting reports needs one of the hub's API keys; give it with "
                    + "--api-key-file F or the environment variable " + KEY_ENV);
        }
        return key.strip();
    }

    private int run(URI base, String key) throws ToolException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<CitizenReportBodies.Category> categories = CitizenReportBodies.fromHub(services(client, base));
        CitizenReportBodies bodies = new CitizenReportBodies(categories);
        System.out.printf(Locale.ROOT, "Simulating %d citizen reports at %s/s to %s: %d categories, %s%% as Signalen "
                + "signals to /ingest/%s/signalen%s%n", reports, number(rate), base, categories.size(),
                number(signalenShare * 100), webhook, jurisdiction == null ? "" : ", jurisdiction " + jurisdiction);

        RandomGenerator random = Simulators.random(seed);
        // a report still unanswered after the request timeout has failed: wait a second more at the end
        try (PacedLoop loop = PacedLoop.start(MAX_IN_FLIGHT, TIMEOUT.toSeconds() + 1)) {
            PacedLoop.Timing timing = loop.run(PacedLoop.Schedule.atRate(rate, reports), null,
                    (k, answered) -> send(client, base, key, bodies.next(random, Instant.now()),
                            random.nextDouble() < signalenShare, answered));
            System.out.println(summary(timing.seconds(), timing.drained(), base));
        }
        if (authProblem.get() != null) {
            System.err.println("simulate citizen-reports: " + authProblem.get());
        }
        return rejected.get() == 0 && failed.get() == 0 && authProblem.get() == null ? 0 : 1;
    }

    /** The hub's categories (code to group), from services.json; checks on the way that the endpoint is there. */
    private Map<String, String> services(HttpClient client, URI base) throws ToolException {
        URI uri = base.resolve("/ingest/open311/services.json" + (jurisdiction == null ? ""
                : "?jurisdiction_id=" + java.net.URLEncoder.encode(jurisdiction, StandardCharsets.UTF_8)));
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ToolException("cannot connect to " + base + ": nothing is listening there; start the hub with "
                    + "./lantaarn, or set --url (or " + PORT_ENV + ")");
        } catch (HttpTimeoutException e) {
            throw new ToolException("no answer from " + base + " within " + TIMEOUT.toSeconds() + " s; set --url");
        } catch (IOException e) {
            throw new ToolException("cannot reach " + uri + " (" + e + "); set --url");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted");
        }
        if (response.statusCode() != 200) {
            String why = description(response.body()).orElse("HTTP " + response.statusCode());
            throw new ToolException("GET " + uri + " answered " + response.statusCode() + ": " + why
                    + (response.statusCode() == 404 ? " (is the citizen-reports adapter bundle installed and "
                            + "configured in etc/nl.lantaarn.adapter.citizen-reports~<name>.cfg?)" : ""));
        }
        Map<String, String> codes = parseServices(response.body());
        if (codes.isEmpty()) {
            throw new ToolException("GET " + uri + " lists no services; configure categories in "
                    + "etc/nl.lantaarn.adapter.citizen-reports~<name>.cfg");
        }
        return codes;
    }

    /** Posts one report, as Open311 or Signalen; false once the hub has refused the API key. */
    private boolean send(HttpClient client, URI base, String key, CitizenReportBodies.Report report, boolean signalen,
            Runnable answered) {
        HttpRequest request = signalen
                ? HttpRequest.newBuilder(base.resolve("/ingest/" + webhook + "/signalen")).timeout(TIMEOUT)
                        .header("Content-Type", "application/json").header("X-API-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(CitizenReportBodies.signalenJson(report)))
                        .build()
                : HttpRequest.newBuilder(base.resolve("/ingest/open311/requests.json")).timeout(TIMEOUT)
                        .header("Content-Type", "application/x-www-form-urlencoded").header("X-API-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(CitizenReportBodies.open311Form(report,
                                jurisdiction)))
                        .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            try {
                if (error != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, request.uri() + ": " + error);
                } else {
                    count(response, signalen);
                }
            } finally {
                answered.run();
            }
        });
        return authProblem.get() == null;
    }

    private void count(HttpResponse<String> response, boolean signalen) {
        int status = response.statusCode();
        if (status == 200 || status == 201 || status == 202) {
            (signalen ? signalenAccepted : open311Accepted).incrementAndGet();
            requestId(response.body()).ifPresent(id -> firstId.compareAndSet(null, id));
            return;
        }
        String why = description(response.body()).orElse(abbreviate(response.body()));
        if (status == 401 || status == 403) {
            authProblem.compareAndSet(null, "the hub refused the API key (HTTP " + status + ": " + why + "); use one "
                    + "of the hub's API keys (--api-key-file or " + KEY_ENV + ")");
        }
        rejected.incrementAndGet();
        firstRejection.compareAndSet(null, response.request().method() + " " + response.request().uri().getPath()
                + " answered " + status + ": " + why);
    }

    /** The service codes and groups listed by services.json. */
    static Map<String, String> parseServices(String body) {
        Map<String, String> codes = new LinkedHashMap<>();
        Matcher service = SERVICE.matcher(body);
        while (service.find()) {
            Matcher group = GROUP.matcher(service.group());
            codes.put(service.group(1), group.find() ? group.group(1) : "");
        }
        return codes;
    }

    /** The new report's id: Open311's {@code service_request_id}, or the id in a {@code report-<id>} thing id. */
    static Optional<String> requestId(String body) {
        Matcher open311 = REQUEST_ID.matcher(body);
        if (open311.find()) {
            return Optional.of(open311.group(1));
        }
        Matcher thing = THING_ID.matcher(body);
        return thing.find() ? Optional.of(thing.group(1)) : Optional.empty();
    }

    /** The description of a GeoReport error, or the detail of a problem document. */
    static Optional<String> description(String body) {
        Matcher matcher = DESCRIPTION.matcher(body);
        return matcher.find() ? Optional.of(matcher.group(1).replace("\\\"", "\"")) : Optional.empty();
    }

    private String summary(double seconds, boolean drained, URI base) {
        long accepted = open311Accepted.get() + signalenAccepted.get();
        StringBuilder line = new StringBuilder(256).append(String.format(Locale.ROOT,
                "Sent %d reports in %.1f s: %d accepted (%d Open311, %d Signalen), %d rejected, %d failed",
                accepted + rejected.get() + failed.get(), seconds, accepted, open311Accepted.get(),
                signalenAccepted.get(), rejected.get(), failed.get()));
        if (firstRejection.get() != null) {
            line.append("\n  first rejection: ").append(firstRejection.get());
        }
        if (firstFailure.get() != null) {
            line.append("\n  first failure: ").append(firstFailure.get());
        }
        if (!drained) {
            line.append("\n  some reports had no answer after ").append(TIMEOUT.toSeconds()).append(" s");
        }
        if (firstId.get() != null) {
            line.append("\n  follow one: curl -s ").append(base).append("/ingest/open311/requests/")
                    .append(firstId.get()).append(".json");
        }
        return line.toString();
    }

    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ').strip();
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
