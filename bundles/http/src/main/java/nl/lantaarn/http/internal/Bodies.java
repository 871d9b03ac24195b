package nl.lantaarn.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.servlet.http.HttpServletRequest;

/** Request bodies read with a bound: refused from the declared length when it can be, else while reading. */
final class Bodies {

    private Bodies() {
    }

    /** The body was larger than allowed. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;
        final long limit;

        TooLarge(long limit) {
            super("larger than " + limit + " bytes");
            this.limit = limit;
        }
    }

    static byte[] read(HttpServletRequest request, int limit) throws IOException, TooLarge {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw new TooLarge(limit);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) Math.max(Math.min(declared, limit), 256));
        copy(request, buffer, limit);
        return buffer.toByteArray();
    }

    /** Copies at most {@code limit} bytes to {@code out}; returns how many. */
    static long copy(HttpServletRequest request, OutputStream out, long limit) throws IOException, TooLarge {
        if (request.getContentLengthLong() > limit) {
            throw new TooLarge(limit);
        }
        long total = 0;
        byte[] chunk = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int read;
            while ((read = in.read(chunk)) >= 0) {
                total += read;
                if (total > limit) {
                    throw new TooLarge(limit);
                }
                out.write(chunk, 0, read);
            }
        }
        return total;
    }

    /** A size for people: 262144 gives {@code 256 KiB}. */
    static String size(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }

    /** The media type without parameters, lower case; empty when there is none. */
    static String mediaType(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    }
}
