package nl.lantaarn.mqtt.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Just enough of a BundleContext for the component: properties and a list of registered services. */
final class FakeBundleContext {

    record Registered(Class<?> type, Object service, Dictionary<String, ?> properties) {
    }

    final List<Registered> services = new CopyOnWriteArrayList<>();
    private final Map<String, String> properties;

    FakeBundleContext(Map<String, String> properties) {
        this.properties = properties;
    }

    <T> List<T> services(Class<T> type) {
        return services.stream().filter(r -> r.type == type).map(r -> type.cast(r.service)).toList();
    }

    @SuppressWarnings("unchecked")
    BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "registerService" -> register((Class<?>) args[0], args[1], (Dictionary<String, ?>) args[2]);
                    case "toString" -> "FakeBundleContext";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private ServiceRegistration<?> register(Class<?> type, Object service, Dictionary<String, ?> props) {
        Registered r = new Registered(type, service, props);
        services.add(r);
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        if (!services.remove(r)) {
                            throw new IllegalStateException("already unregistered");
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
