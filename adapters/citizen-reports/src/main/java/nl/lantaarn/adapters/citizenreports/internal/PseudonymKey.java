package nl.lantaarn.adapters.citizenreports.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nl.lantaarn.adapter.api.AdapterConfigurationException;

/**
 * The secret key of the reporter pseudonyms: a file holding 32 random bytes in Base64, made with {@link SecureRandom}
 * the first time it is needed, readable by the hub's user only. Losing or replacing the file changes every pseudonym
 * from then on; the README says to back it up with the other secrets.
 */
final class PseudonymKey {

    static final int MIN_BYTES = 32;
    static final String FIELD = "pseudonymKeyFile";

    private static final Logger LOG = LoggerFactory.getLogger(PseudonymKey.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    /** Instances of one hub may share the file and start at once: one of them creates it. */
    private static final Object LOCK = new Object();

    private PseudonymKey() {
        throw new AssertionError("no instances");
    }

    /**
     * The key in {@code file}, creating the file (and its folder) with a new random key when it does not exist.
     *
     * @throws AdapterConfigurationException naming {@value #FIELD} when the file cannot be read, written or holds no
     *                                       usable key; the message never contains key material
     */
    static byte[] loadOrCreate(Path file) throws AdapterConfigurationException {
        synchronized (LOCK) {
            if (!Files.exists(file)) {
                create(file);
            }
            return read(file);
        }
    }

    private static void create(Path file) throws AdapterConfigurationException {
        byte[] key = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(key, (byte) 0);
        boolean posix = Files.getFileAttributeView(existingAncestor(file),
                PosixFileAttributeView.class) != null;
        try {
            Path folder = file.toAbsolutePath().getParent();
            if (folder != null && !Files.isDirectory(folder)) {
                if (posix) {
                    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
                } else {
                    Files.createDirectories(folder);
                }
            }
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                    : new FileAttribute<?>[0];
            // CREATE_NEW: never overwrite a key another process made meanwhile
            try (var channel = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), attributes)) {
                channel.write(ByteBuffer.wrap(text));
            }
            LOG.info("Created a new pseudonym key for citizen reports in {} (owner-only); back it up with the hub's "
                    + "other secrets: without it, reporters get new pseudonyms", file);
        } catch (FileAlreadyExistsException e) {
            // made by someone else in the meantime: use theirs
        } catch (IOException e) {
            throw new AdapterConfigurationException(FIELD, "cannot create the pseudonym key file " + file + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); make its folder writable for the hub, "
                    + "or set " + FIELD + " to a writable place");
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    private static byte[] read(Path file) throws AdapterConfigurationException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AdapterConfigurationException(FIELD, "cannot read the pseudonym key file " + file + " ("
                    + e.getClass().getSimpleName() + "); make it readable for the hub's user");
        }
        try {
            byte[] key = Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII).strip());
            if (key.length < MIN_BYTES) {
                throw new AdapterConfigurationException(FIELD, "the pseudonym key in " + file + " has " + key.length
                        + " bytes, at least " + MIN_BYTES + " are needed; delete the file to have a new key made "
                        + "(pseudonyms then change)");
            }
            warnWhenOthersCanRead(file);
            return key;
        } catch (IllegalArgumentException e) {
            throw new AdapterConfigurationException(FIELD, "the pseudonym key file " + file + " must hold a Base64 key "
                    + "of at least " + MIN_BYTES + " bytes; delete the file to have a new key made (pseudonyms then "
                    + "change)");
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static void warnWhenOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("The pseudonym key file {} can be read by other users ({}); restrict it: chmod 600 {}", file,
                        PosixFilePermissions.toString(permissions), file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static Path existingAncestor(Path file) {
        Path path = file.toAbsolutePath();
        while (path != null && !Files.exists(path)) {
            path = path.getParent();
        }
        return path == null ? file.toAbsolutePath().getRoot() : path;
    }
}
