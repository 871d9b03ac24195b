package nl.lantaarn.runtime.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.health.api.ComponentHealth;
import nl.lantaarn.health.api.HealthContributor;
import nl.lantaarn.mqtt.api.EmbeddedBroker;

/**
 * Prints the hub's one ready line and writes {@code <home>/data/run/hub.properties} once every bundle has been
 * started, the HTTP server listens, HTTPS listens (or has given up), the embedded broker listens (or has given up) and
 * no component still waits for a service; at the latest after the settle time. With HTTPS the line after it gives the
 * certificate's SHA-256 fingerprint. Also stops the framework cleanly on Ctrl-C.
 * <p>
 * "Every bundle has been started" is the bnd launcher's {@code launcher.ready} service property where that launcher
 * runs the hub (plus the end of its start-level change, see {@link #allBundlesStarted}); elsewhere (Pax Exam, other
 * launchers) it is the framework's STARTED event. All waiting happens on one thread of this component; framework
 * callbacks only wake it up, and are removed once the line is printed.
 */
@Component(immediate = true, configurationPid = ReadinessReporter.PID)
@Designate(ocd = ReadinessReporter.Config.class)
public final class ReadinessReporter {

    static final String PID = "nl.lantaarn.runtime";
    /** Framework or system property naming the hub's home directory; default: the working directory. */
    static final String HOME_PROPERTY = "lantaarn.home";
    static final String BROKER_BSN = "nl.lantaarn.mqtt.broker";
    static final String HTTP_BSN_PREFIX = "org.apache.felix.http.jetty";

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessReporter.class);
    private static final String BND_LAUNCHER = "aQute.launcher.Launcher";
    private static final String LAUNCHER_READY = "launcher.ready";
    private static final String SERVLET_RUNTIME = "org.osgi.service.servlet.runtime.HttpServiceRuntime";
    private static final String HTTP_RUNTIME = "org.osgi.service.http.runtime.HttpServiceRuntime";
    private static final String HTTP_ENDPOINT = "osgi.http.endpoint";
    private static final String HTTPS_STATUS = "nl.lantaarn.https.internal.HttpsStatus";
    private static final long SHUTDOWN_WAIT_MILLIS = 10_000;
    /** Longest wait for a start-level change to complete, for when this component missed that event. */
    private static final long START_LEVEL_WAIT_MILLIS = 60_000;

    @ObjectClassDefinition(name = "Lantaarn start-up report",
            description = "The ready line printed when the hub has started, and data/run/hub.properties.")
    @interface Config {
        @AttributeDefinition(name = "Settle time (ms)", min = "0",
                description = "After all bundles have started: how long to wait at most for the HTTP server and "
                        + "the embedded MQTT broker to listen, and for components to get the services they need, "
                        + "before the ready line is printed anyway.")
        long settleMillis() default 5000;
    }

    private final BundleContext context;
    private final HubInfoFile hubInfo;
    private final Object lock = new Object();
    private final ServiceListener serviceListener = this::serviceChanged;
    private final FrameworkListener frameworkListener = this::frameworkEvent;
    private final Thread worker;
    private final Thread shutdownHook;
    /** Bumped on every event that may change the outcome; guarded by {@link #lock}. */
    private long changes;
    private volatile long settleMillis;
    /** Whether the framework said that a start-level change (or its start) is complete. */
    private volatile boolean startLevelChanged;

    @Activate
    public ReadinessReporter(BundleContext context, Config config) {
        this.context = context;
        this.settleMillis = config.settleMillis();
        this.hubInfo = new HubInfoFile(home(context));
        // every service event: components become satisfied as the services they need appear; removed once reported
        context.addServiceListener(serviceListener);
        context.addFrameworkListener(frameworkListener);
        worker = new Thread(this::report, "lantaarn-ready");
        worker.setDaemon(true);
        worker.start();
        shutdownHook = new Thread(this::stopFramework, "lantaarn-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Modified
    void modified(Config config) {
        settleMillis = config.settleMillis();
        changed();
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this deactivation comes from the hook itself
        }
        context.removeServiceListener(serviceListener);
        context.removeFrameworkListener(frameworkListener);
        worker.interrupt();
        try {
            hubInfo.deleteIfOwnedBy(ProcessHandle.current().pid());
        } catch (IOException e) {
            LOG.debug("Could not remove {}", hubInfo.path(), e);
        }
    }

    /**
     * Ctrl-C or a TERM signal: stop the framework so that every bundle stops cleanly (sockets closed, files flushed)
     * instead of the JVM just ending; the launcher does not do this itself.
     */
    private void stopFramework() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        try {
            system.stop();
            if (system instanceof Framework framework) {
                framework.waitForStop(SHUTDOWN_WAIT_MILLIS);
            }
        } catch (BundleException | IllegalStateException e) {
            LOG.debug("Could not stop the framework on shutdown", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path home(BundleContext context) {
        String home = context.getProperty(HOME_PROPERTY);
        return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath().normalize();
    }

    private void serviceChanged(ServiceEvent event) {
        changed();
    }

    private void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED || event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
            startLevelChanged = true;
            changed();
        }
    }

    private void changed() {
        synchronized (lock) {
            changes++;
            lock.notifyAll();
        }
    }

    private long changes() {
        synchronized (lock) {
            return changes;
        }
    }

    /** Waits for the next change after {@code seen}, at most until {@code deadlineNanos}. */
    private void awaitChange(long seen, long deadlineNanos) throws InterruptedException {
        synchronized (lock) {
            while (changes == seen) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    private void report() {
        try {
            long startLevelDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_LEVEL_WAIT_MILLIS);
            while (true) {
                long seen = changes();
                boolean waitOver = System.nanoTime() - startLevelDeadline >= 0;
                if (allBundlesStarted(waitOver)) {
                    break;
                }
                awaitChange(seen, waitOver ? Long.MAX_VALUE : startLevelDeadline);
            }
            LOG.debug("All bundles started; waiting at most {} ms for HTTP and MQTT", settleMillis);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settleMillis);
            Snapshot snapshot;
            while (true) {
                long seen = changes();
                snapshot = snapshot();
                if (snapshot.settled() || System.nanoTime() - deadline >= 0) {
                    break;
                }
                awaitChange(seen, deadline);
            }
            ReadyLine line = snapshot.line(System.currentTimeMillis() - jvmStartMillis());
            context.removeServiceListener(serviceListener);
            context.removeFrameworkListener(frameworkListener);
            // the file first: a script that reacts to the ready line finds the ports already written
            writeHubInfo(snapshot);
            System.out.println(line.format());
            line.fingerprintLine().ifPresent(System.out::println);
            System.out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // the bundle context became invalid: the hub is stopping before it was ready
            LOG.debug("Stopped before the hub was ready", e);
        }
    }

    private static long jvmStartMillis() {
        return ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /**
     * Whether the launcher has started every bundle. With start levels (the bnd launcher assigns them) the bundles
     * keep starting on the framework's start-level thread after the launcher says it is ready, until the framework
     * reports the start-level change complete. This component starts during that change, so it sees that event; when
     * it starts later (bundle restarted), {@code startLevelWaitOver} ends the wait.
     */
    private boolean allBundlesStarted(boolean startLevelWaitOver) {
        ServiceReference<?> launcher = first(BND_LAUNCHER);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        boolean launched = launcher != null ? "true".equals(String.valueOf(launcher.getProperty(LAUNCHER_READY)))
                : system.getState() == Bundle.ACTIVE;
        if (!launched) {
            return false;
        }
        boolean startLevels = false;
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.STARTING) {
                return false;
            }
            BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
            startLevels |= level != null && level.isPersistentlyStarted() && level.getStartLevel() > 1;
        }
        return !startLevels || startLevelChanged || startLevelWaitOver;
    }

    private ServiceReference<?> first(String objectClass) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(objectClass, null);
            return refs == null || refs.length == 0 ? null : refs[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Snapshot snapshot() {
        int total = 0;
        int active = 0;
        List<String> notActive = new ArrayList<>();
        Bundle broker = null;
        boolean httpInstalled = false;
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() == 0 || isFragment(bundle)) {
                continue;
            }
            total++;
            if (bundle.getState() == Bundle.ACTIVE) {
                active++;
            } else {
                notActive.add(bundle.getSymbolicName() + " (" + state(bundle.getState()) + ")");
            }
            String bsn = bundle.getSymbolicName();
            if (BROKER_BSN.equals(bsn)) {
                broker = bundle;
            } else if (bsn != null && bsn.startsWith(HTTP_BSN_PREFIX)) {
                httpInstalled = true;
            }
        }
        List<String> failed = new ArrayList<>();
        BrokerComponents brokerComponents = new BrokerComponents();
        boolean waiting = failedComponents(failed, broker, brokerComponents);
        return new Snapshot(active, total, notActive, failed, waiting, httpPort(), httpInstalled,
                mqtt(broker, brokerComponents), https());
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static String state(int state) {
        switch (state) {
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.UNINSTALLED:
                return "UNINSTALLED";
            default:
                return "ACTIVE";
        }
    }

    /** What SCR says about the components of the broker bundle. */
    private static final class BrokerComponents {
        int configurations;
        int active;
        boolean failed;
    }

    /**
     * Adds DS components that failed to activate or miss a mandatory service (waiting for configuration is normal),
     * and counts the broker bundle's components.
     *
     * @return whether some component misses a service, which may still come
     */
    private boolean failedComponents(List<String> failed, Bundle broker, BrokerComponents brokerComponents) {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        if (ref == null) {
            return false;
        }
        ServiceComponentRuntime scr = context.getService(ref);
        if (scr == null) {
            return false;
        }
        boolean waiting = false;
        try {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                if (!scr.isComponentEnabled(description)) {
                    continue;
                }
                boolean ofBroker = broker != null && description.bundle.id == broker.getBundleId();
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    String problem = problem(description, configuration);
                    if (problem != null) {
                        failed.add(description.name + " (" + problem + ")");
                        waiting |= configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
                    }
                    if (ofBroker) {
                        brokerComponents.configurations++;
                        brokerComponents.failed |= problem != null;
                        if (configuration.state == ComponentConfigurationDTO.ACTIVE) {
                            brokerComponents.active++;
                        }
                    }
                }
            }
        } finally {
            context.ungetService(ref);
        }
        return waiting;
    }

    private static String problem(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
            return "activation failed";
        }
        if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
            if (configuration.unsatisfiedReferences.length == 0) {
                return "unsatisfied";
            }
            // constructor parameters have generated reference names: name the service instead
            String name = configuration.unsatisfiedReferences[0].name;
            for (ReferenceDTO reference : description.references) {
                if (reference.name.equals(name)) {
                    return "needs " + reference.interfaceName.substring(reference.interfaceName.lastIndexOf('.') + 1);
                }
            }
            return "needs " + name;
        }
        return null;
    }

    /**
     * HTTPS as the status service of {@code nl.lantaarn.https} describes it (found by name: no API between the two);
     * {@code null} while it is starting.
     */
    private ReadyLine.Https https() {
        ServiceReference<?> status = first(HTTPS_STATUS);
        if (status == null) {
            return new ReadyLine.Https.Off();
        }
        Object state = status.getProperty("lantaarn.https.state");
        Object port = status.getProperty("lantaarn.https.port");
        Object fingerprint = status.getProperty("lantaarn.https.fingerprint");
        if ("listening".equals(state) && port instanceof Integer number && fingerprint instanceof String text) {
            return new ReadyLine.Https.Listening(number, text);
        }
        return "down".equals(state) ? new ReadyLine.Https.Down() : null;
    }

    private OptionalInt httpPort() {
        for (String objectClass : new String[] {SERVLET_RUNTIME, HTTP_RUNTIME}) {
            ServiceReference<?> runtime = first(objectClass);
            if (runtime != null) {
                OptionalInt port = endpointPort(runtime.getProperty(HTTP_ENDPOINT));
                if (port.isPresent()) {
                    return port;
                }
            }
        }
        return OptionalInt.empty();
    }

    static OptionalInt endpointPort(Object endpoint) {
        List<String> endpoints = new ArrayList<>();
        if (endpoint instanceof String s) {
            endpoints.add(s);
        } else if (endpoint instanceof String[] array) {
            endpoints.addAll(List.of(array));
        } else if (endpoint instanceof Collection<?> collection) {
            collection.forEach(e -> endpoints.add(String.valueOf(e)));
        }
        for (String candidate : endpoints) {
            try {
                int port = URI.create(candidate.trim()).getPort();
                if (port > 0) {
                    return OptionalInt.of(port);
                }
            } catch (IllegalArgumentException e) {
                LOG.debug("Ignoring HTTP endpoint {}", candidate);
            }
        }
        return OptionalInt.empty();
    }

    private ReadyLine.Mqtt mqtt(Bundle broker, BrokerComponents components) {
        ServiceReference<EmbeddedBroker> ref = context.getServiceReference(EmbeddedBroker.class);
        if (ref != null) {
            EmbeddedBroker embedded = context.getService(ref);
            if (embedded != null) {
                try {
                    return new ReadyLine.Mqtt.Embedded(embedded.port());
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        if (broker == null) {
            return new ReadyLine.Mqtt.NotInstalled();
        }
        if (broker.getState() != Bundle.ACTIVE || components.failed) {
            return new ReadyLine.Mqtt.Down();
        }
        Boolean down = brokerReportsDown(broker);
        if (Boolean.TRUE.equals(down)) {
            return new ReadyLine.Mqtt.Down();
        }
        if (down == null && components.configurations > 0 && components.active == components.configurations) {
            // active without a health report: switched off with enabled=false
            return new ReadyLine.Mqtt.Off();
        }
        return null; // not known yet
    }

    /** Whether the broker bundle's health says DOWN; null when it registered no health report. */
    private Boolean brokerReportsDown(Bundle broker) {
        ServiceReference<?>[] refs = broker.getRegisteredServices();
        if (refs == null) {
            return null;
        }
        Boolean down = null;
        for (ServiceReference<?> ref : refs) {
            Object classes = ref.getProperty("objectClass");
            if (!(classes instanceof String[] names) || !List.of(names).contains(HealthContributor.class.getName())) {
                continue;
            }
            Object service = context.getService(ref);
            try {
                if (service instanceof HealthContributor contributor) {
                    down = Boolean.TRUE.equals(down) || contributor.health().status() == ComponentHealth.Status.DOWN;
                }
            } finally {
                if (service != null) {
                    context.ungetService(ref);
                }
            }
        }
        return down;
    }

    private void writeHubInfo(Snapshot snapshot) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(HubInfoFile.PID, Long.toString(ProcessHandle.current().pid()));
        values.put(HubInfoFile.HOME, home(context).toString());
        snapshot.httpPort().ifPresent(port -> values.put(HubInfoFile.HTTP_PORT, Integer.toString(port)));
        if (snapshot.https() instanceof ReadyLine.Https.Listening https) {
            values.put(HubInfoFile.HTTPS_PORT, Integer.toString(https.port()));
            values.put(HubInfoFile.HTTPS_FINGERPRINT, https.fingerprint());
        }
        ReadyLine.Mqtt mqtt = snapshot.mqtt() == null ? new ReadyLine.Mqtt.Down() : snapshot.mqtt();
        if (mqtt instanceof ReadyLine.Mqtt.Embedded embedded) {
            values.put(HubInfoFile.MQTT_PORT, Integer.toString(embedded.port()));
            values.put(HubInfoFile.MQTT_STATE, "up");
        } else {
            values.put(HubInfoFile.MQTT_STATE, mqtt instanceof ReadyLine.Mqtt.Down ? "down" : "off");
        }
        try {
            hubInfo.write(values);
            LOG.debug("Wrote {}", hubInfo.path());
        } catch (IOException e) {
            LOG.warn("Could not write {} ({}); tools such as the simulator will not find this hub: check that "
                    + "the home directory (property {}) is writable", hubInfo.path(), e.toString(), HOME_PROPERTY);
        }
    }

    /**
     * What the hub looks like at one moment; {@code mqtt} null while the broker is still starting, {@code waiting}
     * while some component misses a service.
     */
    private record Snapshot(int active, int total, List<String> notActive, List<String> failed, boolean waiting,
            OptionalInt httpPort, boolean httpInstalled, ReadyLine.Mqtt mqtt, ReadyLine.Https https) {

        /** Nothing is still on its way; with the broker down, what needs MQTT will not come. */
        boolean settled() {
            return (httpPort.isPresent() || !httpInstalled) && mqtt != null && https != null
                    && (!waiting || mqtt instanceof ReadyLine.Mqtt.Down);
        }

        ReadyLine line(long elapsedMillis) {
            return new ReadyLine(elapsedMillis, active, total, notActive, failed, httpPort, httpInstalled,
                    mqtt == null ? new ReadyLine.Mqtt.Down() : mqtt, https == null ? new ReadyLine.Https.Down() : https);
        }
    }
}
