package nl.lantaarn.mqtt.broker.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

/** Builds the component's configuration the way SCR does: defaults from the annotation, overridden by a map. */
final class BrokerConfigs {

    private BrokerConfigs() {
    }

    static MqttBrokerComponent.Config config(Map<String, Object> overrides) {
        return (MqttBrokerComponent.Config) Proxy.newProxyInstance(BrokerConfigs.class.getClassLoader(),
                new Class<?>[] {MqttBrokerComponent.Config.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (overrides.containsKey(name)) {
                        return overrides.get(name);
                    }
                    Object value = method.getDefaultValue();
                    if (value != null) {
                        return value;
                    }
                    return switch (name) {
                        case "annotationType" -> MqttBrokerComponent.Config.class;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "Config" + overrides;
                    };
                });
    }

    /** Settings for a broker on 127.0.0.1 and a free port, with its home in {@code home}. */
    static BrokerSettings local(Path home, Map<String, Object> overrides) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of("host", "127.0.0.1", "port", 0));
        all.putAll(overrides);
        return BrokerSettings.resolve(config(all), Map.of(), home);
    }
}
