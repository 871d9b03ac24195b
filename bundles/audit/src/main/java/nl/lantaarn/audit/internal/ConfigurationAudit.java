package nl.lantaarn.audit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditTrail;

/**
 * Records every configuration created, changed or deleted in ConfigAdmin (the files in {@code etc/}, API clients
 * added or revoked, adapter configurations written through the API) as a {@code configuration-change} entry: the
 * PID, its file, and which keys were added, changed or removed, never a value (values may be passwords or key
 * hashes). To tell which keys changed it keeps a digest of each value in memory, never on disk.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class ConfigurationAudit implements ConfigurationListener {

    static final String CLIENT_FACTORY_PID = "nl.lantaarn.http.client";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationAudit.class);
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename");

    /** What is remembered of a configuration: its file, its client name (API clients) and a digest per key. */
    record Snapshot(String file, String client, Map<String, String> digests) {
    }

    private final AuditTrail trail;
    private final ConfigurationAdmin admin;
    private final Map<String, Snapshot> known = new ConcurrentHashMap<>();

    @Activate
    public ConfigurationAudit(@Reference AuditTrail trail, @Reference ConfigurationAdmin admin) {
        this.trail = trail;
        this.admin = admin;
        try {
            Configuration[] all = admin.listConfigurations(null);
            if (all != null) {
                for (Configuration configuration : all) {
                    Dictionary<String, Object> properties = configuration.getProperties();
                    if (properties != null) {
                        known.put(configuration.getPid(), snapshot(properties));
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list the configurations; changes to those present now are recorded without the keys "
                    + "that changed: {}", e.toString());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            Snapshot gone = known.remove(pid);
            trail.record(entry(pid, event.getFactoryPid(), gone, null));
            return;
        }
        if (event.getType() != ConfigurationEvent.CM_UPDATED) {
            return;
        }
        Dictionary<String, Object> properties = properties(pid);
        if (properties == null) {
            return;
        }
        Snapshot now = snapshot(properties);
        Snapshot before = known.put(pid, now);
        if (before != null && before.digests().equals(now.digests())) {
            return; // applied again unchanged (FileInstall does so at start)
        }
        trail.record(entry(pid, event.getFactoryPid(), before, now));
    }

    private Dictionary<String, Object> properties(String pid) {
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + pid.replaceAll("([\\\\*()])",
                    "\\\\$1") + ")");
            return found == null || found.length == 0 ? null : found[0].getProperties();
        } catch (IOException | InvalidSyntaxException e) {
            LOG.debug("Cannot read configuration {}", pid, e);
            return null;
        }
    }

    /** {@code before} null: created; {@code after} null: deleted. */
    static AuditEntry entry(String pid, String factoryPid, Snapshot before, Snapshot after) {
        Snapshot any = after != null ? after : before;
        String file = any == null ? "" : any.file();
        String resource = file.isEmpty() ? "pid " + pid : file;
        String outcome;
        StringBuilder detail = new StringBuilder();
        String client = any == null ? "" : any.client();
        if (CLIENT_FACTORY_PID.equals(factoryPid) && !client.isEmpty()) {
            detail.append("API client '").append(client).append("' ");
        }
        if (after == null) {
            outcome = "deleted";
            detail.append(detail.length() == 0 ? "" : "revoked; ").append("configuration ").append(pid)
                    .append(" deleted");
        } else if (before == null) {
            outcome = "created";
            detail.append(detail.length() == 0 ? "" : "added; ").append("configuration ").append(pid)
                    .append(" created with keys ").append(String.join(", ", new TreeSet<>(after.digests().keySet())));
        } else {
            outcome = "updated";
            Set<String> added = new TreeSet<>(after.digests().keySet());
            added.removeAll(before.digests().keySet());
            Set<String> removed = new TreeSet<>(before.digests().keySet());
            removed.removeAll(after.digests().keySet());
            Set<String> changed = new TreeSet<>();
            after.digests().forEach((key, digest) -> {
                if (before.digests().containsKey(key) && !before.digests().get(key).equals(digest)) {
                    changed.add(key);
                }
            });
            detail.append(detail.length() == 0 ? "" : "changed; ").append("configuration ").append(pid)
                    .append(" updated");
            list(detail, "changed", changed);
            list(detail, "added", added);
            list(detail, "removed", removed);
        }
        return new AuditEntry(AuditKind.CONFIGURATION_CHANGE, file.isEmpty() ? "hub" : "operator", "", resource, "",
                outcome, detail.toString());
    }

    private static void list(StringBuilder detail, String what, Set<String> keys) {
        if (!keys.isEmpty()) {
            detail.append("; ").append(what).append(": ").append(String.join(", ", keys));
        }
    }

    static Snapshot snapshot(Dictionary<String, Object> properties) {
        Map<String, String> digests = new TreeMap<>();
        String file = "";
        String client = "";
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            Object value = properties.get(key);
            if (key.equals("felix.fileinstall.filename")) {
                file = fileName(String.valueOf(value));
            } else if (!FRAMEWORK_KEYS.contains(key)) {
                digests.put(key, digest(value));
            }
        }
        Object factory = properties.get("service.factoryPid");
        Object name = properties.get("name");
        if (CLIENT_FACTORY_PID.equals(factory) && name instanceof String text) {
            client = text; // a client's name is shown in every log; never its key hash
        }
        return new Snapshot(file, client, Map.copyOf(digests));
    }

    /** {@code etc/<name>} for FileInstall's {@code file:/.../etc/<name>}. */
    private static String fileName(String url) {
        int slash = url.lastIndexOf('/');
        String name = slash < 0 ? url : url.substring(slash + 1);
        String rest = slash < 0 ? "" : url.substring(0, slash);
        int parent = rest.lastIndexOf('/');
        return (parent < 0 ? "" : rest.substring(parent + 1) + "/") + name;
    }

    private static String digest(Object value) {
        String text = value instanceof Object[] array ? Arrays.deepToString(array)
                : value != null && value.getClass().isArray() ? arrayText(value) : String.valueOf(value);
        try {
            return Arrays.toString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String arrayText(Object array) {
        StringBuilder text = new StringBuilder("[");
        for (int index = 0; index < java.lang.reflect.Array.getLength(array); index++) {
            text.append(java.lang.reflect.Array.get(array, index)).append(',');
        }
        return text.append(']').toString();
    }
}
