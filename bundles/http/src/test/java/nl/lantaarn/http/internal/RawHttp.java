package nl.lantaarn.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

/**
 * One HTTP/1.1 exchange over a fresh connection, sent byte for byte as given: for the fuzz tests, whose requests
 * (raw {@code ..} and {@code ;} in paths, invalid UTF-8 bodies, odd content types, chunked bodies) an HTTP client
 * library would refuse or rewrite. A server that does not answer within the timeout fails the exchange.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** An answer: status, headers (names in lower case, the last value of each) and the body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The RFC 9457 problem's detail, or {@code null} when the answer is not a problem document with one. */
        public String problemDetail() {
            String type = header("Content-Type");
            if (type == null || !type.startsWith("application/problem+json")) {
                return null;
            }
            JsonValue json = JsonFactory.readFrom(text());
            if (!json.isObject()) {
                return null;
            }
            JsonObject problem = json.asObject();
            if (problem.getValue("status").filter(JsonValue::isInt).map(JsonValue::asInt).orElse(-1) != status) {
                return null;
            }
            return problem.getValue("detail").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + headers + " " + (text.length() > 500 ? text.substring(0, 500) + "..." : text);
        }
    }

    /** A request body: {@code null} for none; {@code chunked} sends it without a Content-Length. */
    public static Response exchange(int port, String method, String target, Map<String, String> headers, byte[] body,
            boolean chunked, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            // ISO-8859-1: each char of the target is one byte, so a test can send any byte
            request.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (Map.Entry<String, String> header : headers.entrySet()) {
                request.writeBytes((header.getKey() + ": " + header.getValue() + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
            if (body != null && chunked) {
                request.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                for (int start = 0; start < body.length; start += 8192) {
                    int length = Math.min(8192, body.length - start);
                    request.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    request.write(body, start, length);
                    request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (body != null) {
                request.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(body);
            } else {
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it has read a body it refuses: read that answer
            }
            return read(socket.getInputStream(), method);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("No answer within " + timeout.toSeconds() + " s to " + method + " "
                    + abbreviate(target) + ": the server hangs", e);
        }
    }

    private static Response read(InputStream in, String method) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("Not an HTTP response: " + abbreviate(head));
        }
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        String type = headers.getOrDefault("content-type", "");
        if (type.startsWith("text/event-stream") || "HEAD".equals(method) || status == 204 || status == 304) {
            // no body, or an open stream that never ends: the head is the answer
            return new Response(status, headers, new byte[0]);
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else {
            body = readToEnd(in);
        }
        return new Response(status, headers, body);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < 4) {
            throw new IOException("The connection closed before a whole response head: "
                    + abbreviate(head.toString(StandardCharsets.ISO_8859_1)));
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(length));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (java.net.SocketException e) {
            // a reset after the answer: what was read is the answer
            return new byte[0];
        }
    }

    public static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "... (" + text.length() + " chars)" : text;
    }
}
