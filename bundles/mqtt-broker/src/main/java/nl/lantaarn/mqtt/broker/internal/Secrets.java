package nl.lantaarn.mqtt.broker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Password generation, hashing and private files. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private Secrets() {
        throw new AssertionError("no instances");
    }

    /** A random password of 32 URL-safe characters (192 bits). */
    static char[] newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    static byte[] sha256(char[] password) {
        return sha256(new String(password).getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(char[] password) {
        return HexFormat.of().formatHex(sha256(password));
    }

    /**
     * Writes a file that only its owner may read (600 where the file system has POSIX permissions): written to a
     * private temporary file first and moved into place, so the content is never readable by others.
     *
     * @param privateDirectory whether a missing parent directory is created readable by the owner only (700)
     */
    static void writePrivateFile(Path file, String content, boolean privateDirectory) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                if (privateDirectory && POSIX) {
                    Files.createDirectory(dir,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(dir);
                }
            } catch (FileAlreadyExistsException e) {
                // created meanwhile by someone else: fine as long as it is a directory
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        Path tmp = POSIX
                ? Files.createTempFile(dir, ".lantaarn", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".lantaarn", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
