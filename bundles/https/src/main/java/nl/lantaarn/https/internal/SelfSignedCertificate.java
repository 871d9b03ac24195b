package nl.lantaarn.https.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hub's own certificate for {@code localhost} (names {@code localhost}, {@code 127.0.0.1}, {@code ::1}), made on
 * first start by the JDK's {@code keytool} (from {@code java.home}, so no library is needed) into a PKCS#12 keystore
 * with a random password in a file of its own, both readable by the owner only. Clients trust it by its SHA-256
 * fingerprint, which the hub prints when it is ready.
 */
final class SelfSignedCertificate {

    static final String ALIAS = "lantaarn";
    /** About two years and three months, the longest that browsers accepted for a while. */
    static final int VALIDITY_DAYS = 825;
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SelfSignedCertificate() {
        throw new AssertionError("no instances");
    }

    /**
     * Makes the keystore, and its password file when there is none. The keystore is written next to its final place
     * and moved there, so a hub stopped half-way leaves no broken keystore.
     *
     * @throws IOException naming what failed (keytool's own message included)
     */
    static void create(Path keystore, Path passwordFile) throws IOException {
        if (!Files.isRegularFile(passwordFile)) {
            writePrivateFile(passwordFile, newPassword() + "\n");
        }
        Path keytool = keytool();
        Path tmp = keystore.resolveSibling(keystore.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-validity", Integer.toString(VALIDITY_DAYS),
                "-dname", "CN=localhost, O=Lantaarn hub (self-signed)",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-storetype", "PKCS12", "-keystore", tmp.toString(),
                // the password is read from its file: never on a command line that others can see
                "-storepass:file", passwordFile.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(keytool + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + keytool + " made the certificate", e);
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(tmp)) {
            Files.deleteIfExists(tmp);
            throw new IOException(keytool + " could not make the certificate (exit " + process.exitValue() + "): "
                    + output);
        }
        if (POSIX) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        move(tmp, keystore);
    }

    /** {@code keytool} of the running JDK. */
    static Path keytool() throws IOException {
        Path home = Path.of(System.getProperty("java.home"));
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        Path keytool = home.resolve("bin").resolve(windows ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("the Java runtime at " + home + " has no keytool (" + keytool + "); run the hub with "
                    + "a full JDK, or configure a keystore ('keystore' in " + HttpsSettings.CONFIG_FILE + ")");
        }
        return keytool;
    }

    /** 32 URL-safe characters (192 random bits). */
    static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Written to a private temporary file (600), then moved into place; a missing folder is made private (700). */
    static void writePrivateFile(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                if (POSIX) {
                    Files.createDirectory(dir,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(dir);
                }
            } catch (FileAlreadyExistsException e) {
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
            move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
