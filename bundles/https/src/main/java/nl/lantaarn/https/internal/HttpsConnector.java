package nl.lantaarn.https.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS on the hub's HTTP server: a Felix HTTP {@link ConnectorFactory}, so that the Jetty that serves plain HTTP also
 * gets a TLS connector, with the same servlets, without a restart and without the keystore password ever entering a
 * configuration. The key comes from a configured keystore or, by default, from a self-signed certificate for
 * localhost that the hub makes on first start ({@link SelfSignedCertificate}). Everything is checked before the
 * factory is offered (keystore, password, key entry, port free), so a problem is one WARN line naming the setting,
 * and plain HTTP keeps running. {@link HttpsStatus} tells the start-up report the port and the certificate's
 * fingerprint.
 */
@Component(service = {}, immediate = true, configurationPid = HttpsConnector.PID)
@Designate(ocd = HttpsConnector.Config.class)
public final class HttpsConnector implements ConnectorFactory {

    static final String PID = "nl.lantaarn.https";
    static final String HOME_PROPERTY = "lantaarn.home";
    private static final Logger LOG = LoggerFactory.getLogger(HttpsConnector.class);

    @ObjectClassDefinition(name = "Lantaarn HTTPS",
            description = "HTTPS next to plain HTTP, with a configured keystore or a generated self-signed one.")
    public @interface Config {
        @AttributeDefinition(description = "Whether the hub serves HTTPS.")
        boolean enabled() default true;

        @AttributeDefinition(description = "Address to listen on; 0.0.0.0 is every interface.")
        String host() default "0.0.0.0";

        @AttributeDefinition(description = "HTTPS port; the environment variable LANTAARN_HTTPS_PORT wins.")
        int port() default 8443;

        @AttributeDefinition(description = "PKCS#12 or JKS keystore (relative to the hub's home); empty: a "
                + "self-signed certificate for localhost, made on first start in data/secrets/https.p12.")
        String keystore() default "";

        @AttributeDefinition(description = "File holding the keystore password (e.g. data/secrets/https-keystore."
                + "password); or set LANTAARN_HTTPS_KEYSTORE_PASSWORD.")
        String keystorePasswordFile() default "";

        @AttributeDefinition(description = "The key entry to serve; empty: the first one.")
        String keyAlias() default "";
    }

    private final BundleContext context;
    private final ServiceRegistration<HttpsStatus> status;
    private HttpsSettings settings;
    private TlsKey key;
    private char[] password;
    private ServiceRegistration<ConnectorFactory> factory;

    @Activate
    public HttpsConnector(BundleContext context, Config config) {
        this.context = context;
        this.status = context.registerService(HttpsStatus.class, new HttpsStatus(),
                properties(HttpsStatus.STARTING, config.port(), null, null));
        Path home = Path.of(String.valueOf(context.getProperty(HOME_PROPERTY) == null ? ""
                : context.getProperty(HOME_PROPERTY))).toAbsolutePath().normalize();
        Map<String, String> env = System.getenv();
        try {
            settings = HttpsSettings.resolve(config, env, home);
            if (!settings.enabled()) {
                LOG.info("HTTPS is off ('enabled = false' in {})", HttpsSettings.CONFIG_FILE);
                status.unregister();
                return;
            }
            key = settings.generated() ? ownKey(settings) : configuredKey(settings, settings.password(env));
            password = settings.password(env);
            ensurePortFree(settings);
            status.setProperties(properties(HttpsStatus.STARTING, settings.port(), key.fingerprint(), null));
            factory = context.registerService(ConnectorFactory.class, this, null);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("HTTPS is down, plain HTTP goes on: {}", e.getMessage());
            status.setProperties(properties(HttpsStatus.DOWN, settings == null ? config.port() : settings.port(),
                    null, e.getMessage()));
        }
    }

    @Deactivate
    void deactivate() {
        if (factory != null) {
            factory.unregister();
        }
        try {
            status.unregister();
        } catch (IllegalStateException e) {
            // unregistered already: HTTPS was off
        }
    }

    /** The hub's self-signed key: made when missing, made again when expired or unreadable. */
    static TlsKey ownKey(HttpsSettings settings) throws IOException {
        Path keystore = settings.keystore();
        if (!Files.isRegularFile(keystore) || !Files.isRegularFile(settings.passwordFile())) {
            LOG.info("Making a self-signed HTTPS certificate for localhost in {}", keystore);
            SelfSignedCertificate.create(keystore, settings.passwordFile());
        }
        try {
            TlsKey key = TlsKey.load(keystore, settings.password(Map.of()), SelfSignedCertificate.ALIAS);
            if (!key.expiredAt(Instant.now())) {
                return key;
            }
            LOG.warn("The self-signed HTTPS certificate in {} expired on {}; making a new one (its fingerprint "
                    + "changes)", keystore, key.certificate().getNotAfter().toInstant());
        } catch (IOException e) {
            LOG.warn("The self-signed HTTPS keystore {} cannot be used ({}); making a new one (its fingerprint "
                    + "changes)", keystore, e.getMessage());
        }
        SelfSignedCertificate.create(keystore, settings.passwordFile());
        return TlsKey.load(keystore, settings.password(Map.of()), SelfSignedCertificate.ALIAS);
    }

    private static TlsKey configuredKey(HttpsSettings settings, char[] password) throws IOException {
        TlsKey key = TlsKey.load(settings.keystore(), password, settings.keyAlias());
        if (key.expiredAt(Instant.now())) {
            LOG.warn("The HTTPS certificate '{}' in {} expired on {}; clients will refuse it. Renew it and restart "
                    + "the hub", key.alias(), settings.keystore(), key.certificate().getNotAfter().toInstant());
        }
        return key;
    }

    /** Binding once here turns a taken port into one clear line instead of a stack trace from Jetty. */
    private static void ensurePortFree(HttpsSettings settings) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.host(), settings.port()));
        } catch (IOException e) {
            throw new IOException("port " + settings.port() + " on " + settings.host() + " is already in use ("
                    + e.getMessage() + "); set " + HttpsSettings.PORT_ENV + " or 'port' in "
                    + HttpsSettings.CONFIG_FILE + " (it came from " + settings.portSource() + ")", e);
        }
    }

    /** Called by Felix HTTP each time its Jetty starts; Felix starts the connector and stops it again. */
    @Override
    public Connector createConnector(Server server) {
        ServerConnector connector = connector(server, settings, key, password);
        connector.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                status.setProperties(properties(HttpsStatus.LISTENING, settings.port(), key.fingerprint(), null));
                LOG.info("HTTPS on port {}, certificate SHA-256 {}", settings.port(), key.fingerprint());
            }

            @Override
            public void lifeCycleFailure(LifeCycle event, Throwable cause) {
                status.setProperties(properties(HttpsStatus.DOWN, settings.port(), key.fingerprint(),
                        String.valueOf(cause)));
            }
        });
        return connector;
    }

    /** A TLS connector for HTTP/1.1 on {@code server}, with the key and no server version in answers. */
    static ServerConnector connector(Server server, HttpsSettings settings, TlsKey key, char[] password) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(key.keyStore());
        tls.setKeyManagerPassword(new String(password));
        tls.setCertAlias(key.alias());
        // a self-signed certificate names localhost only: clients reach the hub by other names too
        tls.setSniRequired(false);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSecureScheme("https");
        http.setSecurePort(settings.port());
        // request.isSecure() and the scheme https (HSTS depends on them); no SNI host check, as above
        http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
        connector.setName("lantaarn-https");
        connector.setHost(settings.host().equals("0.0.0.0") ? null : settings.host());
        connector.setPort(settings.port());
        return connector;
    }

    private static Dictionary<String, Object> properties(String state, int port, String fingerprint, String reason) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HttpsStatus.STATE, state);
        properties.put(HttpsStatus.PORT, port);
        if (fingerprint != null) {
            properties.put(HttpsStatus.FINGERPRINT, fingerprint);
        }
        if (reason != null) {
            properties.put(HttpsStatus.REASON, reason);
        }
        return properties;
    }
}
