package nl.lantaarn.notify.internal;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a channel's name from its configuration: the part after the factory PID and a {@code -} in the file name
 * FileInstall read it from ({@code etc/nl.lantaarn.notify.webhook-police.cfg} gives {@code police}), else the
 * {@code name} property, else the part after {@code ~} in the PID (a configuration made through ConfigAdmin).
 * <p>
 * The file name takes a dash, not {@code ~}: FileInstall 3.7 makes a factory configuration only of a name with a
 * dash (it splits at the first one), and a {@code ~} name would become a plain configuration no channel sees.
 */
final class ChannelNames {

    static final String FILE_NAME = "felix.fileinstall.filename";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private ChannelNames() {
        throw new AssertionError("no instances");
    }

    /**
     * @throws IllegalArgumentException naming the configuration and how to name it, when there is no valid name
     */
    static String of(String factoryPid, Map<String, ?> properties) {
        String name = fromFileName(factoryPid, properties.get(FILE_NAME));
        if (name == null) {
            Object property = properties.get("name");
            if (property != null && !String.valueOf(property).isBlank()) {
                name = String.valueOf(property).trim();
            }
        }
        Object pid = properties.get("service.pid");
        if (name == null && pid != null) {
            String text = String.valueOf(pid);
            int tilde = text.indexOf('~');
            if (tilde >= 0) {
                name = text.substring(tilde + 1);
            }
        }
        String file = "etc/" + factoryPid + "-<name>.cfg";
        if (name == null) {
            throw new IllegalArgumentException("configuration " + pid + " has no channel name; name the file " + file
                    + " or set name=<name>");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("channel name '" + name + "' (configuration " + pid + ") must be 1-63"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit; name the file " + file);
        }
        return name;
    }

    /** The file (or else the PID) a configuration came from, for messages. */
    static String origin(Map<String, ?> properties) {
        Object file = properties.get(FILE_NAME);
        return String.valueOf(file != null ? file : properties.get("service.pid"));
    }

    private static String fromFileName(String factoryPid, Object fileName) {
        if (fileName == null) {
            return null;
        }
        String text = String.valueOf(fileName);
        String file = text.substring(Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\')) + 1);
        for (String extension : new String[] {".cfg", ".config"}) {
            if (file.endsWith(extension)) {
                file = file.substring(0, file.length() - extension.length());
            }
        }
        String prefix = factoryPid + "-";
        return file.startsWith(prefix) && file.length() > prefix.length() ? file.substring(prefix.length()) : null;
    }
}
