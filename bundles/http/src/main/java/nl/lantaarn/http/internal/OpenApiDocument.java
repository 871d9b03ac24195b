package nl.lantaarn.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API contract ({@code api/openapi.yaml}) as this bundle carries it: the YAML as written and the JSON the build
 * converted it to, both copied into the bundle from the {@code nl.lantaarn.api.contract} artifact.
 */
final class OpenApiDocument {

    static final String JSON_RESOURCE = "/openapi/openapi.json";
    static final String YAML_RESOURCE = "/openapi/openapi.yaml";

    private final byte[] json;
    private final byte[] yaml;

    private OpenApiDocument(byte[] json, byte[] yaml) {
        this.json = json;
        this.yaml = yaml;
    }

    static OpenApiDocument load() {
        return new OpenApiDocument(read(JSON_RESOURCE), read(YAML_RESOURCE));
    }

    byte[] json() {
        return json.clone();
    }

    byte[] yaml() {
        return yaml.clone();
    }

    private static byte[] read(String resource) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The bundle lacks " + resource + "; the build copies it from "
                        + "nl.lantaarn.api.contract (build the reactor with verify, not only compile)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }
}
