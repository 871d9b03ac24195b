package nl.lantaarn.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import nl.lantaarn.audit.internal.TrailVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code audit verify}: checks the hub's audit trail link by link, whether or not the hub runs. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The hub's audit trail (data/audit/audit-YYYY-MM-DD.jsonl, hash-chained JSON lines).",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

    static final String CONFIGURATION = "etc/nl.lantaarn.audit.cfg";

    @ParentCommand
    private ToolsMain main;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The trail's folder: {@code directory} in etc/nl.lantaarn.audit.cfg, else data/audit; relative to the home. */
    Path folder() {
        Path home = main.home();
        String directory = "data/audit";
        Path configuration = home.resolve(CONFIGURATION);
        if (Files.isRegularFile(configuration)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(configuration, StandardCharsets.ISO_8859_1)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ToolException("cannot read " + configuration + ": " + e.getMessage(), e);
            }
            directory = properties.getProperty("directory", directory).trim();
        }
        return home.resolve(directory).normalize();
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Read every audit file and check each entry's hash and its link to the entry before it. "
                    + "Names the first break: an altered, inserted or removed entry (file, line, sequence).",
                "Exit codes: 0 every link holds, 1 a break (or no trail at all), 2 invalid input."})
    static final class Verify implements Runnable {

        @ParentCommand
        private AuditCommand audit;

        @Spec
        private CommandSpec spec;

        @Option(names = "--dir", paramLabel = "<folder>", description = "Verify this folder instead of the hub's "
                + "(directory in " + CONFIGURATION + ", default data/audit).")
        private Path directory;

        @Override
        public void run() {
            Path folder = directory != null ? directory.toAbsolutePath().normalize() : audit.folder();
            TrailVerifier.Result result;
            try {
                result = TrailVerifier.verify(folder);
            } catch (IOException e) {
                throw new ToolException("cannot read the audit trail in " + folder + ": " + e, e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (result.problem().isPresent()) {
                throw new ToolException(ToolsMain.REFUSED, "the audit trail in " + folder + " is BROKEN after "
                        + result.entries() + " intact entries: " + result.problem().get());
            }
            if (result.entries() == 0) {
                throw new ToolException(ToolsMain.REFUSED, "no audit entries in " + folder + " (files audit-"
                        + "YYYY-MM-DD.jsonl): the hub has not run with this home, or the files were removed");
            }
            out.println("The audit trail in " + folder + " is intact: " + result.entries() + " entries, sequence "
                    + result.first() + " to " + result.last() + ", in " + result.files() + " file"
                    + (result.files() == 1 ? "" : "s") + ".");
            out.println("Last hash: " + result.lastHash() + " (note it elsewhere: entries removed from the end "
                    + "can only be found against a hash kept outside the hub)");
            if (!result.note().isEmpty()) {
                out.println("Note: " + result.note() + ".");
            }
        }
    }
}
