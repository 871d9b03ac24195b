package nl.lantaarn.mqtt.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** The component's configuration as SCR builds it: annotation defaults, overridden by a map. */
final class TestConfigs {

    private TestConfigs() {
    }

    static MqttConnectionComponent.Config config(Map<String, Object> overrides) {
        return (MqttConnectionComponent.Config) Proxy.newProxyInstance(TestConfigs.class.getClassLoader(),
                new Class<?>[] {MqttConnectionComponent.Config.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (overrides.containsKey(name)) {
                        return overrides.get(name);
                    }
                    Object value = method.getDefaultValue();
                    if (value != null) {
                        return value;
                    }
                    return switch (name) {
                        case "annotationType" -> MqttConnectionComponent.Config.class;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "Config" + overrides;
                    };
                });
    }

    /** Settings for the test broker: MQTT 3.1.1, quick reconnects. */
    static ConnectionSettings.Builder forTestBroker(int port) {
        return ConnectionSettings.builder(ConnectionSettings.Mode.EXTERNAL, "127.0.0.1", port)
                .credentials(TestBroker.USER, TestBroker.PASSWORD.toCharArray())
                .mqttVersion(3)
                .reconnect(50, 1);
    }
}
