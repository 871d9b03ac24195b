package nl.lantaarn.tools;

import java.io.PrintWriter;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clients add|list|revoke}: the API clients of the home, in files the running hub picks up by itself. */
@Command(name = "clients", mixinStandardHelpOptions = true,
        description = {"Manage the API clients of this hub's home (LANTAARN_HOME, default the repository): one file "
                + "etc/nl.lantaarn.http.client-<name>.cfg per client, holding only the SHA-256 hash of its key. "
                + "Works whether or not the hub runs; a running hub applies a change within a few seconds.",
            "",
            "Roles (each includes the ones before it):",
            "  reader    read things, their history, search and zones",
            "  writer    also write things, send to webhooks (/ingest) and Open311 reports",
            "  operator  also adapters, routes (confirm, reject), dead letters and metrics",
            "  admin     also install and remove adapter bundles (code that runs in the hub), read the audit trail",
            "Health and the Open311 reads stay open to anyone."},
        subcommands = {ClientsCommand.Add.class, ClientsCommand.ListClients.class, ClientsCommand.Revoke.class})
final class ClientsCommand implements Runnable {

    @ParentCommand
    private ToolsMain main;

    @Spec
    private CommandSpec spec;

    ClientStore store() {
        return new ClientStore(main.home());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add an API client and print its new key, once: the last line of the output is the key "
                    + "alone (KEY=$(./lantaarn clients add ... | tail -1)). Only its SHA-256 hash is stored.",
                "Exit codes: 0 added, 1 the name is taken or the file cannot be written, 2 invalid input."})
    static final class Add implements Runnable {

        @ParentCommand
        private ClientsCommand clients;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<name>", description = "The client's name, shown in the hub's logs "
                + "and audit records: " + ClientStore.NAME_RULE + ".")
        private String name;

        @Option(names = "--role", paramLabel = "<role>", required = true, description = "reader, writer, operator "
                + "or admin (see ./lantaarn clients --help); repeat or separate with commas for several.")
        private List<String> roles;

        @Option(names = "--purpose", paramLabel = "<text>", required = true, description = "Why the client needs "
                + "access (purpose limitation), one line of at most " + ClientStore.MAX_PURPOSE + " characters.")
        private String purpose;

        @Option(names = "--rate-limit", paramLabel = "<per second>", description = "Its own rate limit: requests "
                + "per second on average (e.g. 50 or 0.5); without it the hub's default "
                + "(etc/nl.lantaarn.http.ratelimit.cfg).")
        private String rateLimit;

        @Option(names = "--rate-burst", paramLabel = "<requests>", description = "Its own burst: requests at once "
                + "after a quiet spell; without it the hub's default.")
        private String rateBurst;

        @Override
        public void run() {
            ClientStore.Added added = clients.store().add(name, roles, purpose, rateLimit, rateBurst);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Added API client '" + added.client().name() + "' with role "
                    + String.join(", ", added.client().roles()) + " (purpose: " + added.client().purpose() + ")"
                    + (rateLimit == null && rateBurst == null ? "" : ", rate limit "
                            + (rateLimit == null ? "the hub's default" : rateLimit.strip() + " requests per second")
                            + (rateBurst == null ? "" : ", bursts of up to " + rateBurst.strip()))
                    + ".");
            out.println("Stored in " + added.client().file() + ": only the key's SHA-256 hash, readable by you "
                    + "alone. A running hub accepts the key within a few seconds.");
            out.println("The key is shown this once; hand it to the client over a safe channel. They send it as "
                    + "'Authorization: Bearer <key>' or 'X-API-Key: <key>':");
            out.println(added.key());
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the API clients: name, roles, created, purpose (never keys or hashes).")
    static final class ListClients implements Runnable {

        @ParentCommand
        private ClientsCommand clients;

        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            ClientStore store = clients.store();
            List<ClientStore.Client> all = store.list();
            PrintWriter out = spec.commandLine().getOut();
            if (all.isEmpty()) {
                out.println("No API clients in " + store.etc() + ". Add the first one with: ./lantaarn clients add "
                        + "<name> --role <role> --purpose <purpose id>");
                out.flush();
                return;
            }
            int width = Math.max(4, all.stream().mapToInt(c -> c.name().length()).max().orElse(4));
            String format = "%-" + width + "s  %-16s  %-20s  %s%n";
            out.printf(format, "NAME", "ROLES", "CREATED", "PURPOSE");
            for (ClientStore.Client client : all) {
                out.printf(format, client.name(), String.join(",", client.roles()),
                        client.created().isEmpty() ? "-" : client.created(), client.legacy()
                                ? "(apiKeyHashes entry in " + ClientStore.AUTH_FILE + ": every role)"
                                : client.purpose());
            }
            out.flush();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Remove an API client: a running hub refuses its key within a few seconds.",
                "Exit codes: 0 revoked, 1 there is no such client (or it is an apiKeyHashes entry), 2 invalid name."})
    static final class Revoke implements Runnable {

        @ParentCommand
        private ClientsCommand clients;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<name>", description = "The client's name, as ./lantaarn clients "
                + "list shows it.")
        private String name;

        @Override
        public void run() {
            ClientStore.Client revoked = clients.store().revoke(name);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Revoked API client '" + revoked.name() + "': " + revoked.file() + " removed. A running hub "
                    + "refuses its key within a few seconds.");
            out.flush();
        }
    }
}
