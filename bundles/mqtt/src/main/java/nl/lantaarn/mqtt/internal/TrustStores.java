package nl.lantaarn.mqtt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;

import javax.net.ssl.TrustManagerFactory;

/** Loads the certificates the connection trusts for TLS. */
final class TrustStores {

    private TrustStores() {
        throw new AssertionError("no instances");
    }

    /**
     * Reads a trust store: PEM certificates ({@code .pem}, {@code .crt}) or a key store in any format the JVM
     * recognises (PKCS#12, JKS).
     *
     * @throws IOException              when the file cannot be read
     * @throws GeneralSecurityException when it is not a trust store or the password is wrong
     */
    static TrustManagerFactory load(Path file, char[] password) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        KeyStore store;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pem") || name.endsWith(".crt")) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(file)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw new GeneralSecurityException("no certificate in " + file);
                }
            }
        } else {
            store = KeyStore.getInstance(file.toFile(), password.length == 0 ? null : password);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}
