package nl.lantaarn.notify.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import nl.lantaarn.notify.api.Alert;

/**
 * HTTP POST of the alert JSON, signed: {@value #SIGNATURE_HEADER}{@code : sha256=<hex HMAC-SHA256(secret, body)>}.
 * A 2xx answer is success; 408, 429 and 5xx are retried; other 4xx mean the target refuses this alert (no retry).
 */
final class WebhookDelivery implements Delivery {

    static final String SIGNATURE_HEADER = "X-Lantaarn-Signature";
    static final String ALERT_ID_HEADER = "X-Lantaarn-Alert-Id";
    private static final String HMAC = "HmacSHA256";

    private final URI uri;
    private final String target;
    private final Duration timeout;
    private final HttpClient client;
    private final Mac mac;

    WebhookDelivery(String url, String secret, Duration timeout) {
        this.uri = parse(url);
        this.target = redacted(uri);
        this.timeout = timeout;
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("webhook " + target + ": timeoutSeconds must be at least 1, was "
                    + timeout.toSeconds());
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("webhook " + target + ": secret is empty; set secret=<shared key> (the"
                    + " receiver checks the " + SIGNATURE_HEADER + " header with it)");
        }
        try {
            // used by the channel's worker thread only
            this.mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static URI parse(String url) {
        URI uri;
        try {
            uri = URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook url is not a URL: " + e.getMessage()
                    + "; expected http(s)://host[:port]/path");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("webhook url must be http(s)://host[:port]/path, was '"
                    + redacted(uri) + "'");
        }
        return uri;
    }

    /** Scheme, host, port and path: user info and query may hold tokens. */
    static String redacted(URI uri) {
        if (uri.getHost() == null) {
            return "(no host)";
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    String sign(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Override
    public void deliver(Alert alert, byte[] json) throws DeliveryException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, sign(json))
                .header(ALERT_ID_HEADER, alert.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new DeliveryException("no answer from " + target + " within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new DeliveryException("cannot reach " + target + ": " + e, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            boolean retry = status == 408 || status == 429 || status >= 500 || status < 400;
            throw new DeliveryException("HTTP " + status + " from " + target, !retry);
        }
    }

    @Override
    public String target() {
        return target;
    }
}
