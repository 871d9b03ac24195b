package nl.lantaarn.https.internal;

import java.lang.annotation.Annotation;
import java.util.Map;

/** {@link HttpsConnector.Config} as a file in etc/ gives it: the defaults, with some values set. */
final class TestConfig {

    private TestConfig() {
    }

    static HttpsConnector.Config defaults() {
        return with(Map.of());
    }

    static HttpsConnector.Config with(Map<String, Object> values) {
        return new HttpsConnector.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HttpsConnector.Config.class;
            }

            @Override
            public boolean enabled() {
                return (Boolean) values.getOrDefault("enabled", true);
            }

            @Override
            public String host() {
                return (String) values.getOrDefault("host", "0.0.0.0");
            }

            @Override
            public int port() {
                return (Integer) values.getOrDefault("port", 8443);
            }

            @Override
            public String keystore() {
                return (String) values.getOrDefault("keystore", "");
            }

            @Override
            public String keystorePasswordFile() {
                return (String) values.getOrDefault("keystorePasswordFile", "");
            }

            @Override
            public String keyAlias() {
                return (String) values.getOrDefault("keyAlias", "");
            }
        };
    }
}
