package nl.lantaarn.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The security headers of the Dutch API Design Rules on every answer under {@code /api/v1}, whichever servlet gives
 * it (this bundle's, search's, or one added later): answers are not cached, not sniffed, not framed and send no
 * referrer; over HTTPS, clients are told to stay on HTTPS. Set before the servlet runs, so errors carry them too.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern("/api/v1/*")
@HttpWhiteboardFilterAsyncSupported
public final class ApiHeadersFilter implements Filter {

    /** One year, the usual minimum for HSTS preload lists. */
    static final String HSTS = "max-age=31536000";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            apply(request instanceof HttpServletRequest req && req.isSecure(), http);
        }
        chain.doFilter(request, response);
    }

    static void apply(boolean secure, HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (secure) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
    }
}
