package nl.lantaarn.dpia.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Camel endpoint uri taken apart: {@code scheme:path?key=value&...} (values decoded; no validation). */
record Endpoint(String uri, String scheme, String path, Map<String, String> parameters) {

    static Endpoint parse(String uri) {
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? uri : uri.substring(0, colon);
        String rest = colon < 0 ? "" : uri.substring(colon + 1);
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                parameters.put(decode(key), decode(value));
            }
        }
        return new Endpoint(uri, scheme, path, parameters);
    }

    String parameter(String key) {
        return parameters.get(key);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // a dynamic uri (toD) may hold ${...} and stray % signs: shown as written
            return text;
        }
    }
}
