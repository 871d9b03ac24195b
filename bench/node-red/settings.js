// Node-RED settings for the compare benchmark: headless (no editor, no admin API, no HTTP port at all), no
// credentials, no projects, no network calls of its own, warnings and errors only. run.sh passes --userDir (a fresh
// temporary folder) and the flow file; the flow reads the broker and QoS from the environment variables below.

const fs = require("fs");

const READY_NODE = "lantaarn.bench.ready";
const DEFAULTS = { BENCH_BROKER_HOST: "127.0.0.1", BENCH_QOS: "1" };
for (const [name, value] of Object.entries(DEFAULTS)) {
    if (!process.env[name]) {
        process.env[name] = value;
    }
}
// Refused here, before the flow starts: a wrong value would otherwise become a silent default in the mqtt nodes
// (an unknown QoS becomes 2 there, a missing port 1883).
const port = process.env.BENCH_BROKER_PORT || "";
if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw new Error("BENCH_BROKER_PORT must be the broker's TCP port (1-65535), was '" + port + "'");
}
if (!/^[012]$/.test(process.env.BENCH_QOS)) {
    throw new Error("BENCH_QOS must be 0, 1 or 2, was '" + process.env.BENCH_QOS + "'");
}

// run.sh gives Node-RED a fresh temporary user folder; it goes when Node-RED exits (not after a kill -9)
if (process.env.BENCH_NODE_RED_USER_DIR) {
    process.on("exit", () => fs.rmSync(process.env.BENCH_NODE_RED_USER_DIR, { recursive: true, force: true }));
}

module.exports = {
    // false for both: Node-RED starts no HTTP server (its "headless mode")
    httpAdminRoot: false,
    httpNodeRoot: false,

    // The flow holds no credentials: false keeps Node-RED from generating a key and printing a page about it. Node-RED
    // still logs two harmless warnings at start: "Projects disabled" and "Using unencrypted credentials".
    credentialSecret: false,
    flowFilePretty: true,

    // fixed, so that log lines read the same on every machine
    lang: "en-US",

    logging: {
        console: { level: "warn", metrics: false, audit: false },
        // Two kinds of info line still shown, bare: the flow's node "ready line" logs once when its subscriptions are
        // in place (run.sh's caller waits for it), and the broker connection's changes (a refused or lost connection
        // would otherwise leave the run waiting without a word).
        ready: {
            level: "info",
            handler: () => (msg) => {
                if (msg.id === READY_NODE || msg.type === "mqtt-broker") {
                    console.log(msg.msg);
                }
            }
        }
    },

    // no update checks, no diagnostics endpoint, no module installs: the run stays offline and repeatable
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: false, ui: false },
    externalModules: {
        autoInstall: false,
        palette: { allowInstall: false, allowUpload: false },
        modules: { allowInstall: false }
    },
    functionExternalModules: false,
    functionTimeout: 0,

    editorTheme: {
        projects: { enabled: false }
    }
};
