package nl.lantaarn.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.List;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * The keys of a JWKS file ({@code jwksFile}), read again when the file's modification time changes, so that an
 * operator can add a key of the provider without restarting anything. Private keys in the file are never used (only
 * the public parts, see {@link TokenVerifier}).
 */
final class FileJwkSource implements JWKSource<SecurityContext> {

    private final Path file;
    private volatile Loaded loaded;

    private record Loaded(FileTime modified, JWKSet keys) {
    }

    FileJwkSource(Path file) {
        this.file = file;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return selector.select(keys());
    }

    private JWKSet keys() throws KeySourceException {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Loaded current = loaded;
            if (current == null || !current.modified().equals(modified)) {
                current = new Loaded(modified, JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)));
                loaded = current;
            }
            return current.keys();
        } catch (IOException e) {
            throw new KeySourceException("cannot read the JWKS file: " + e);
        } catch (ParseException e) {
            throw new KeySourceException("the file is not a JWK set: " + e.getMessage());
        }
    }
}
