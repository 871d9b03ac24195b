package nl.lantaarn.adapter.runtime.internal;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import nl.lantaarn.adapter.api.Inbound;
import nl.lantaarn.deadletter.api.DeadLetterService;
import nl.lantaarn.mqtt.api.MqttConnection;
import nl.lantaarn.twin.api.TwinService;

/** What every adapter instance of one runtime shares: the hub's services, the settings, timers and transports. */
final class RuntimeContext {

    final TwinService twin;
    final DeadLetterService deadLetters;
    /** The hub's home: relative watched folders resolve against it. */
    final Path home;
    /** Every instance by id (the registry's map), to find a webhook name that is taken. */
    final Map<String, AdapterInstance> instances;
    /** Grace timers, the watchdog, folder scans and poll timing; tasks here never block for long. */
    final ScheduledExecutorService scheduler;
    /** HTTP polls, which may block up to their timeout; one at a time per instance. */
    final ExecutorService blocking;
    /** Where mapped thing updates are applied to the twin, in order per thing. */
    final ApplyLanes lanes = new ApplyLanes(ApplyLanes.defaultCount());
    volatile RuntimeSettings settings;
    volatile MqttConnection mqtt;
    private volatile HttpClient http;

    RuntimeContext(TwinService twin, DeadLetterService deadLetters, Path home, RuntimeSettings settings,
            Map<String, AdapterInstance> instances) {
        this.twin = twin;
        this.deadLetters = deadLetters;
        this.home = home;
        this.settings = settings;
        this.instances = instances;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2, threads("adapter-runtime-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
        this.blocking = Executors.newCachedThreadPool(threads("adapter-poll"));
    }

    /** Opens the transport of an inbound for an instance. */
    Transport open(AdapterInstance instance, Inbound inbound) {
        return switch (inbound.kind()) {
            case MQTT -> new MqttTransport(instance, inbound, mqtt);
            case POLL -> new PollTransport(instance, inbound, this);
            case FOLDER -> new FolderTransport(instance, folder(inbound.source()), this);
            // served by the HTTP bundle, which calls AdapterAdmin.ingest
            case WEBHOOK -> Transport.NONE;
        };
    }

    Path folder(String source) {
        Path path = Path.of(source);
        return path.isAbsolute() ? path : home.resolve(path).normalize();
    }

    /** One client for every polling instance, made when the first one needs it. */
    HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NORMAL).build();
                    http = client;
                }
            }
        }
        return client;
    }

    void shutdown() {
        // what the workers mapped is applied before the runtime lets go of the twin
        lanes.close(System.nanoTime() + AdapterInstance.DRAIN_TIME.toNanos());
        scheduler.shutdownNow();
        blocking.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
