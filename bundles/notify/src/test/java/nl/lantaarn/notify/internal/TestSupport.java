package nl.lantaarn.notify.internal;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import nl.lantaarn.notify.api.Alert;
import nl.lantaarn.notify.api.ChannelStatus;

/** Configurations as SCR builds them, alerts, and channel look-ups for the tests. */
final class TestSupport {

    private TestSupport() {
    }

    /** An instance of a component's config annotation: its defaults, overridden by {@code overrides}. */
    static <T> T config(Class<T> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(TestSupport.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (overrides.containsKey(name)) {
                        return overrides.get(name);
                    }
                    Object value = method.getDefaultValue();
                    if (value != null) {
                        return value;
                    }
                    return switch (name) {
                        case "annotationType" -> type;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> type.getSimpleName() + overrides.keySet();
                        default -> throw new IllegalStateException("test config has no value for " + name);
                    };
                }));
    }

    /** The properties FileInstall gives a configuration read from {@code etc/<factoryPid>-<name>.cfg}. */
    static Map<String, Object> fileProperties(String factoryPid, String name) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("felix.fileinstall.filename", "file:/hub/etc/" + factoryPid + "-" + name + ".cfg");
        properties.put("service.pid", factoryPid + "." + UUID.randomUUID());
        properties.put("service.factoryPid", factoryPid);
        return properties;
    }

    static Alert alert(String title) {
        return new Alert(UUID.randomUUID().toString(), "route:noise-alerts", "warning", title,
                "nl.eindhoven.lighting:lamppost-0042", "GM0772-0101", "{\"laeq\":78.5,\"unit\":\"dB(A)\"}",
                Instant.parse("2026-11-23T22:14:05Z"));
    }

    static ChannelStatus status(NotificationServiceImpl service, String name) {
        return service.channels().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no channel " + name + " in " + service.channels()));
    }
}
