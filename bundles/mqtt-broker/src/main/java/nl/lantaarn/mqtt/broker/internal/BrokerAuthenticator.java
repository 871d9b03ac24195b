package nl.lantaarn.mqtt.broker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.broker.security.IAuthenticator;

/**
 * Checks MQTT credentials: the hub's internal user, whose password lives in memory only, and the users of the users
 * file ({@code username:sha256hex} per line), which is re-read when it changes. Comparisons take the same time
 * whether the user exists or not.
 */
final class BrokerAuthenticator implements IAuthenticator {

    /** User name of the hub's own connection. */
    static final String INTERNAL_USER = "lantaarn-hub";
    /** Client ids reserved for the hub, so that a device cannot take over the hub's session. */
    static final String RESERVED_CLIENT_ID_PREFIX = "lantaarn-hub";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerAuthenticator.class);
    private static final int HASH_HEX_LENGTH = 64;
    private static final byte[] NO_USER = new byte[32];

    private final byte[] internalHash;
    private final Path usersFile;
    private final Object reloadLock = new Object();
    private volatile Users users = new Users(FileState.UNREAD, Map.of());

    BrokerAuthenticator(char[] internalPassword, Path usersFile) {
        this.internalHash = Secrets.sha256(internalPassword);
        this.usersFile = Objects.requireNonNull(usersFile, "usersFile");
    }

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        if (username == null || password == null) {
            return false;
        }
        byte[] supplied = Secrets.sha256(password);
        if (INTERNAL_USER.equals(username)) {
            return MessageDigest.isEqual(supplied, internalHash);
        }
        byte[] expected = current().get(username);
        boolean valid = MessageDigest.isEqual(supplied, expected == null ? NO_USER : expected) && expected != null;
        if (valid && clientId != null && clientId.startsWith(RESERVED_CLIENT_ID_PREFIX)) {
            LOG.debug("MQTT user {} refused: client ids starting with {} are reserved for the hub", username,
                    RESERVED_CLIENT_ID_PREFIX);
            return false;
        }
        return valid;
    }

    /** Number of users read from the file; for tests and diagnostics. */
    int fileUserCount() {
        return current().size();
    }

    /** The users of the file, re-read when its modification time or size changed. Called on CONNECT only. */
    private Map<String, byte[]> current() {
        FileState state = FileState.of(usersFile);
        Users known = users;
        if (known.state.equals(state)) {
            return known.hashes;
        }
        synchronized (reloadLock) {
            known = users;
            if (!known.state.equals(state)) {
                known = new Users(state, read(state));
                users = known;
            }
            return known.hashes;
        }
    }

    private Map<String, byte[]> read(FileState state) {
        if (!state.exists) {
            LOG.warn("MQTT users file {} does not exist: no device can connect to the embedded broker; restore it,"
                    + " or restart the hub to generate a new 'devices' user", usersFile);
            return Map.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(usersFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("MQTT users file {} cannot be read ({}): no device can connect until it can", usersFile,
                    e.toString());
            return Map.of();
        }
        Map<String, byte[]> hashes = new HashMap<>();
        List<Integer> malformed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // user names may contain ':', hex digests never do
            int colon = line.lastIndexOf(':');
            String user = colon > 0 ? line.substring(0, colon) : "";
            String hex = colon > 0 ? line.substring(colon + 1).strip() : "";
            if (user.isEmpty() || hex.length() != HASH_HEX_LENGTH || !isHex(hex) || INTERNAL_USER.equals(user)) {
                malformed.add(i + 1);
                continue;
            }
            hashes.put(user, HexFormat.of().parseHex(hex));
        }
        if (!malformed.isEmpty()) {
            LOG.warn("MQTT users file {}: lines {} ignored; each line must be 'username:sha256-hex-of-password'"
                    + " and the user {} is reserved", usersFile, malformed, INTERNAL_USER);
        }
        LOG.debug("MQTT users file {} read: {} users", usersFile, hashes.size());
        return Map.copyOf(hashes);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Content of the users file written at first start. */
    static String initialUsersFile(String user, char[] password) {
        return "# MQTT users of the embedded broker: one 'username:sha256-hex-of-password' per line.\n"
                + "# The broker re-reads this file when it changes. Example hash: printf '%s' 'secret' | sha256sum\n"
                + user + ":" + Secrets.sha256Hex(password) + "\n";
    }

    private record Users(FileState state, Map<String, byte[]> hashes) {
    }

    /** What tells a changed file apart: existence, modification time and size. */
    private record FileState(boolean exists, FileTime modified, long size) {

        static final FileState UNREAD = new FileState(false, FileTime.fromMillis(-1), -1);

        static FileState of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileState(true, attributes.lastModifiedTime(), attributes.size());
            } catch (NoSuchFileException e) {
                return new FileState(false, FileTime.fromMillis(0), 0);
            } catch (IOException e) {
                return new FileState(true, FileTime.fromMillis(0), -2);
            }
        }
    }
}
