package nl.lantaarn.ditto.api.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.json.JsonObject;

import jakarta.servlet.http.HttpServletResponse;

/** Errors over HTTP in Ditto's shape: {@code {"status","error","message","description"}}. */
final class DittoHttpErrors {

    private DittoHttpErrors() {
    }

    static void write(HttpServletResponse response, HttpStatus status, String error, String message,
            String description) throws IOException {
        write(response, status.getCode(), JsonObject.newBuilder()
                .set("status", status.getCode())
                .set("error", error)
                .set("message", message)
                .set("description", description)
                .build());
    }

    static void write(HttpServletResponse response, DittoRuntimeException error) throws IOException {
        write(response, error.getHttpStatus().getCode(), error.toJson());
    }

    private static void write(HttpServletResponse response, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
