package nl.lantaarn.tools;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API clients of a hub's home: one file per client, {@code etc/nl.lantaarn.http.client-<name>.cfg}, holding the
 * client's name, roles, purpose, creation time and the SHA-256 hash of its key (never the key). The hub's FileInstall
 * turns each file into a configuration of factory PID {@code nl.lantaarn.http.client}, which the HTTP bundle's
 * authenticator reads (see bundles/http/README.md); clients in the older {@code apiKeyHashes} list of
 * {@code etc/nl.lantaarn.http.auth.cfg} are listed too.
 */
final class ClientStore {

    static final String FACTORY_PID = "nl.lantaarn.http.client";
    static final String AUTH_FILE = "nl.lantaarn.http.auth.cfg";
    /** Lower case, so that two clients never differ only in case; no path characters, as the file name holds it. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final String NAME_RULE = "1 to 64 characters: lower-case letters a-z, digits 0-9, '.', '_' and '-', "
            + "starting with a letter or digit";
    /** The roles, lowest first; each includes the ones before it (nl.lantaarn.security.api.Role in the hub). */
    static final List<String> ROLES = List.of("reader", "writer", "operator", "admin");
    static final int MAX_PURPOSE = 500;
    /** The name the hub's audit gives requests without a key. */
    static final String RESERVED_NAME = "anonymous";
    /** The bounds the hub accepts for a client's rateLimit and rateBurst. */
    static final double MIN_RATE = 0.001;
    static final double MAX_RATE = 1_000_000;
    static final int MAX_BURST = 1_000_000;
    static final String KEY_PREFIX = "ltn_";
    private static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** One client as stored; {@code legacy} for an entry of {@code apiKeyHashes}. */
    record Client(String name, List<String> roles, String purpose, String created, Path file, boolean legacy) {
    }

    /** A client just added, and its key: shown once, stored nowhere. */
    record Added(Client client, String key) {
    }

    private final Path etc;
    private final SecureRandom random;

    ClientStore(Path home) {
        this(home, new SecureRandom());
    }

    ClientStore(Path home, SecureRandom random) {
        this.etc = home.resolve("etc");
        this.random = random;
    }

    Path etc() {
        return etc;
    }

    Path fileOf(String name) {
        return etc.resolve(FACTORY_PID + "-" + name + ".cfg");
    }

    /** Checks the input, makes a key, stores its hash. Refuses a name that is invalid or taken. */
    Added add(String name, List<String> roles, String purpose) {
        return add(name, roles, purpose, null, null);
    }

    /**
     * As {@link #add(String, List, String)}, with the client's own rate limit ({@code rateLimit}, requests per second,
     * and {@code rateBurst}); {@code null} leaves either to the hub's default.
     */
    Added add(String name, List<String> roles, String purpose, String rateLimit, String rateBurst) {
        String checkedName = checkName(name);
        List<String> checkedRoles = checkRoles(roles);
        String checkedPurpose = checkPurpose(purpose);
        String checkedRate = checkRateLimit(rateLimit);
        String checkedBurst = checkRateBurst(rateBurst);
        for (Client existing : list()) {
            if (existing.name().equals(checkedName)) {
                throw new ToolException(ToolsMain.REFUSED, "an API client named '" + checkedName + "' exists already ("
                        + (existing.legacy() ? "in apiKeyHashes of " + existing.file() : existing.file())
                        + "); choose another name, or revoke it first: ./lantaarn clients revoke " + checkedName);
            }
        }
        byte[] secret = new byte[KEY_BYTES];
        random.nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Path file = fileOf(checkedName);
        String text = "# API client '" + checkedName + "', added by ./lantaarn clients add; remove it with "
                + "./lantaarn clients revoke " + checkedName + ".\n"
                + "# Only the SHA-256 hash of its key is kept. Roles: " + String.join(", ", ROLES) + ".\n"
                + "name = " + checkedName + "\n"
                + "roles = " + String.join(", ", checkedRoles) + "\n"
                + "purpose = " + escape(checkedPurpose) + "\n"
                + "created = " + created + "\n"
                + "keyHash = sha256:" + sha256Hex(key) + "\n"
                + (checkedRate == null ? "" : "rateLimit = " + checkedRate + "\n")
                + (checkedBurst == null ? "" : "rateBurst = " + checkedBurst + "\n");
        writeAtomically(file, text);
        return new Added(new Client(checkedName, checkedRoles, checkedPurpose, created, file, false), key);
    }

    /** Removes the client's file; a running hub refuses its key from then on. */
    Client revoke(String name) {
        String checkedName = checkName(name);
        Client client = list().stream().filter(c -> c.name().equals(checkedName)).findFirst()
                .orElseThrow(() -> new ToolException(ToolsMain.REFUSED, "there is no API client '" + checkedName
                        + "' in " + etc + "; ./lantaarn clients list shows the ones there are"));
        if (client.legacy()) {
            throw new ToolException(ToolsMain.REFUSED, "'" + checkedName + "' is an entry of apiKeyHashes in "
                    + client.file() + ", which is edited by hand: remove '" + checkedName + ":sha256:...' from that "
                    + "line (the hub applies it at once)");
        }
        try {
            Files.delete(client.file());
        } catch (NoSuchFileException e) {
            throw new ToolException(ToolsMain.REFUSED, "API client '" + checkedName + "' was just removed by "
                    + "someone else (" + client.file() + " is gone)");
        } catch (IOException e) {
            throw new ToolException("cannot remove " + client.file() + ": " + e.getMessage()
                    + "; check the permissions of " + etc, e);
        }
        return client;
    }

    /** Every client, by name: the client files, then the entries of {@code apiKeyHashes}. */
    List<Client> list() {
        List<Client> clients = new ArrayList<>();
        if (!Files.isDirectory(etc)) {
            return clients;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(etc, FACTORY_PID + "-*.cfg")) {
            for (Path file : files) {
                clients.add(read(file));
            }
        } catch (IOException e) {
            throw new ToolException("cannot read " + etc + ": " + e.getMessage(), e);
        }
        clients.addAll(legacy());
        clients.sort(Comparator.comparing(Client::name).thenComparing(Client::legacy));
        return clients;
    }

    private Client read(Path file) {
        Properties properties = load(file);
        String fileName = file.getFileName().toString();
        String fromFileName = fileName.substring(FACTORY_PID.length() + 1, fileName.length() - ".cfg".length());
        List<String> roles = List.of(properties.getProperty("roles", "").trim().split("[,\\s]+")).stream()
                .filter(role -> !role.isEmpty()).toList();
        return new Client(properties.getProperty("name", fromFileName).trim(), roles,
                properties.getProperty("purpose", "").trim(), properties.getProperty("created", "").trim(), file,
                false);
    }

    /** The named entries of {@code apiKeyHashes} ({@code <name>:sha256:<hex>}; unnamed ones are client-<n>). */
    private List<Client> legacy() {
        Path file = etc.resolve(AUTH_FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        String hashes = load(file).getProperty("apiKeyHashes", "").trim();
        List<Client> clients = new ArrayList<>();
        int position = 0;
        for (String entry : hashes.split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            position++;
            int marker = entry.lastIndexOf(":sha256:");
            String name = marker > 0 ? entry.substring(0, marker) : "client-" + position;
            clients.add(new Client(name, List.of("admin"), "", "", file, true));
        }
        return clients;
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ToolException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }

    /** Temporary file (owner-only, a name FileInstall ignores) in the same folder, written, synced, then renamed. */
    private void writeAtomically(Path file, String text) {
        Path temporary = null;
        try {
            Files.createDirectories(etc);
            boolean posix = Files.getFileStore(etc).supportsFileAttributeView("posix");
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            temporary = Files.createTempFile(etc, "." + file.getFileName() + ".", ".tmp", attributes);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.ISO_8859_1.encode(text));
                channel.force(true);
            }
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file);
            }
            temporary = null;
        } catch (FileAlreadyExistsException e) {
            throw new ToolException(ToolsMain.REFUSED, file + " appeared while it was written; run "
                    + "./lantaarn clients list and choose another name");
        } catch (IOException e) {
            throw new ToolException("cannot write " + file + ": " + e.getMessage() + "; check that " + etc
                    + " exists and is writable by you", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the temporary name is ignored by FileInstall; leaving it behind harms nothing
                }
            }
        }
    }

    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "invalid client name '" + name + "': use " + NAME_RULE
                    + " (e.g. police-eindhoven)");
        }
        if (name.equals(RESERVED_NAME)) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "the client name '" + RESERVED_NAME + "' is taken by the "
                    + "hub's audit for requests without a key; choose another name");
        }
        return name;
    }

    /** Requests per second, as the hub reads it (nl.lantaarn.http.internal.RateLimit); {@code null}: not given. */
    static String checkRateLimit(String rateLimit) {
        if (rateLimit == null) {
            return null;
        }
        String trimmed = rateLimit.strip();
        double value;
        try {
            value = Double.parseDouble(trimmed);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= MIN_RATE && value <= MAX_RATE)) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "invalid --rate-limit '" + trimmed + "': give requests "
                    + "per second, a number from " + MIN_RATE + " to " + (long) MAX_RATE + " (e.g. 50 or 0.5)");
        }
        return trimmed;
    }

    /** Requests at once, a whole number; {@code null}: not given. */
    static String checkRateBurst(String rateBurst) {
        if (rateBurst == null) {
            return null;
        }
        String trimmed = rateBurst.strip();
        int value;
        try {
            value = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > MAX_BURST) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "invalid --rate-burst '" + trimmed + "': give a whole "
                    + "number of requests from 1 to " + MAX_BURST);
        }
        return Integer.toString(value);
    }

    static List<String> checkRoles(List<String> roles) {
        if (roles == null || roles.isEmpty()) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "give the client a role with --role: one of "
                    + String.join(", ", ROLES));
        }
        List<String> checked = new ArrayList<>();
        for (String given : roles) {
            for (String role : given.split(",")) {
                String id = role.trim().toLowerCase(Locale.ROOT);
                if (!ROLES.contains(id)) {
                    throw new ToolException(ToolsMain.INVALID_INPUT, "unknown role '" + role.trim() + "': use one "
                            + "of " + String.join(", ", ROLES) + " (./lantaarn clients add --help says what each "
                            + "may do)");
                }
                if (!checked.contains(id)) {
                    checked.add(id);
                }
            }
        }
        checked.sort(Comparator.comparingInt(ROLES::indexOf));
        return List.copyOf(checked);
    }

    static String checkPurpose(String purpose) {
        String trimmed = purpose == null ? "" : purpose.strip();
        if (trimmed.isEmpty()) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "the purpose is empty: say with --purpose why the "
                    + "client needs access (e.g. --purpose \"crowd dashboard for event organisers\"); it is shown by "
                    + "./lantaarn clients list");
        }
        if (trimmed.length() > MAX_PURPOSE) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "the purpose has " + trimmed.length()
                    + " characters; keep it to " + MAX_PURPOSE);
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "the purpose holds a line break or other control "
                    + "character; give it as one line of text");
        }
        if (trimmed.contains("${")) {
            throw new ToolException(ToolsMain.INVALID_INPUT, "the purpose holds '${', which the hub's configuration "
                    + "files read as a variable; leave it out");
        }
        return trimmed;
    }

    /** A {@code .cfg} value: backslashes doubled, everything outside printable ASCII as a {@code \\uXXXX} escape. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\') {
                escaped.append("\\\\");
            } else if (c < 0x20 || c > 0x7e) {
                escaped.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
