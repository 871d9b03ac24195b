package nl.lantaarn.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated street-light controllers and their lamps, speaking the lighting adapter's protocol: lamp states as
 * {@code {"dimLevel":40,"scene":"calm","power":"on","failure":null,"reportedAt":"..."}} on
 * {@code <root>/<controller>/lamp/<lamp>/state}, commands taken from {@code <root>/<controller>/lamp/<lamp>/set} (or
 * {@code .../group/<group>/set}, which applies to every lamp of the controller), each answered on
 * {@code <root>/<controller>/ack} with {@code {"commandId":"...","status":"ok"|"error","reason":...}}, unless the ack
 * is dropped on purpose. Lamps are spread over the controllers in blocks: {@code ctl_01} has the first ones.
 * <p>
 * Not thread safe: the caller serialises {@link #nextState} and {@link #onCommand}.
 */
final class LampFleet {

    /** Scenes the adapter accepts by default. */
    static final List<String> DEFAULT_SCENES = List.of("normal", "calm", "bright", "evacuation", "night");
    /** Commands are a few dozen bytes; anything far larger is not one. */
    static final int MAX_COMMAND_BYTES = 4096;

    private static final Pattern COMMAND_ID = Pattern.compile("\"commandId\"\\s*:\\s*\"([^\"\\\\]{1,100})\"");
    private static final Pattern DIM_LEVEL = Pattern.compile("\"dimLevel\"\\s*:\\s*(-?[0-9]+(?:\\.[0-9]+)?)");
    private static final Pattern SCENE = Pattern.compile("\"scene\"\\s*:\\s*\"([^\"\\\\]{1,64})\"");
    private static final Pattern POWER = Pattern.compile("\"power\"\\s*:\\s*\"([^\"\\\\]{1,16})\"");
    private static final String FAILURE_TEXT = "lamp driver does not respond";

    /** One message to publish. */
    record Outgoing(String topic, String payload) {
    }

    /**
     * What a controller does with a command.
     *
     * @param outcome  {@code ok}, {@code error}, {@code dropped} or {@code ignored} (not a command of this fleet)
     * @param ack      the acknowledgement to publish, {@code null} when dropped or ignored
     * @param states   the lamp states that changed, to publish after the ack
     */
    record Reply(String outcome, Outgoing ack, List<Outgoing> states) {
    }

    private final String root;
    private final int lamps;
    private final int controllers;
    private final List<String> scenes;
    private final int[] dimLevel;
    private final byte[] scene;
    private final boolean[] on;
    private final boolean[] failed;

    LampFleet(String root, int lamps, int controllers, List<String> scenes) {
        if (lamps < 1 || controllers < 1 || controllers > lamps || controllers > 99_999) {
            throw new IllegalArgumentException("need 1 <= controllers <= lamps, was " + controllers + " controllers "
                    + "for " + lamps + " lamps");
        }
        if (scenes.isEmpty() || scenes.size() > 127) {
            throw new IllegalArgumentException("need 1 to 127 scenes, was " + scenes.size());
        }
        this.root = root;
        this.lamps = lamps;
        this.controllers = controllers;
        this.scenes = List.copyOf(scenes);
        this.dimLevel = new int[lamps];
        this.scene = new byte[lamps];
        this.on = new boolean[lamps];
        this.failed = new boolean[lamps];
        java.util.Arrays.fill(dimLevel, 70);
        java.util.Arrays.fill(on, true);
    }

    int lamps() {
        return lamps;
    }

    int controllers() {
        return controllers;
    }

    /** Controller of lamp {@code index} (0-based): {@code ctl_01} .. in blocks of equal size. */
    String controllerOf(int index) {
        return controllerId((int) ((long) index * controllers / lamps));
    }

    String controllerId(int c) {
        return String.format(Locale.ROOT, "ctl_%02d", c + 1);
    }

    /** Lamp id of lamp {@code index} (0-based): {@code l-00001} .. */
    static String lampId(int index) {
        return String.format(Locale.ROOT, "l-%05d", index + 1);
    }

    /**
     * The state report number {@code k}: the lamps take turns. Now and then a lamp fails or recovers
     * ({@code failureChance} per report).
     */
    Outgoing nextState(long k, Instant now, RandomGenerator random, double failureChance) {
        int index = (int) (k % lamps);
        if (failureChance > 0 && random.nextDouble() < failureChance) {
            failed[index] = !failed[index];
        }
        return state(index, now);
    }

    Outgoing state(int index, Instant now) {
        String payload = "{\"dimLevel\":" + dimLevel[index] + ",\"scene\":\"" + scenes.get(scene[index])
                + "\",\"power\":\"" + (on[index] ? "on" : "off") + "\",\"failure\":"
                + (failed[index] ? "\"" + FAILURE_TEXT + "\"" : "null") + ",\"reportedAt\":\"" + now + "\"}";
        return new Outgoing(root + "/" + controllerOf(index) + "/lamp/" + lampId(index) + "/state", payload);
    }

    /**
     * A command that arrived on {@code topic}. A share {@code dropShare} of commands is not answered, a share
     * {@code errorShare} answered with an error (state unchanged); the rest is applied and answered ok. A command
     * with an invalid value is answered with an error naming it, as a controller would.
     */
    Reply onCommand(String topic, String payload, Instant now, RandomGenerator random, double dropShare,
            double errorShare) {
        String[] levels = topic.split("/", -1);
        if (levels.length != 5 || !levels[0].equals(root) || !levels[4].equals("set")
                || payload.length() > MAX_COMMAND_BYTES) {
            return new Reply("ignored", null, List.of());
        }
        int first = firstLampOf(levels[1]);
        if (first < 0) {
            return new Reply("ignored", null, List.of());
        }
        int end = endOf(levels[1]);
        int[] targets;
        if (levels[2].equals("lamp")) {
            int index = lampIndex(levels[3]);
            if (index < first || index >= end) {
                return new Reply("ignored", null, List.of());
            }
            targets = new int[] {index};
        } else if (levels[2].equals("group")) {
            targets = java.util.stream.IntStream.range(first, end).toArray();
        } else {
            return new Reply("ignored", null, List.of());
        }
        Matcher id = COMMAND_ID.matcher(payload);
        if (!id.find()) {
            return new Reply("ignored", null, List.of());
        }
        String commandId = id.group(1);
        String ackTopic = root + "/" + levels[1] + "/ack";
        double roll = random.nextDouble();
        if (roll < dropShare) {
            return new Reply("dropped", null, List.of());
        }
        if (roll < dropShare + errorShare) {
            return new Reply("error", ack(ackTopic, commandId, "simulated controller failure"), List.of());
        }
        Integer newDim = null;
        Matcher dim = DIM_LEVEL.matcher(payload);
        if (dim.find()) {
            double value = Double.parseDouble(dim.group(1));
            if (value < 0 || value > 100) {
                return new Reply("error", ack(ackTopic, commandId, "dimLevel out of range: " + dim.group(1)),
                        List.of());
            }
            newDim = (int) Math.round(value);
        }
        Integer newScene = null;
        Matcher sceneMatch = SCENE.matcher(payload);
        if (sceneMatch.find()) {
            int index = scenes.indexOf(sceneMatch.group(1));
            if (index < 0) {
                return new Reply("error", ack(ackTopic, commandId, "unknown scene: " + sceneMatch.group(1)),
                        List.of());
            }
            newScene = index;
        }
        Boolean newPower = null;
        Matcher power = POWER.matcher(payload);
        if (power.find()) {
            if (!power.group(1).equals("on") && !power.group(1).equals("off")) {
                return new Reply("error", ack(ackTopic, commandId, "power must be on or off: " + power.group(1)),
                        List.of());
            }
            newPower = power.group(1).equals("on");
        }
        List<Outgoing> states = new java.util.ArrayList<>(targets.length);
        for (int index : targets) {
            if (newDim != null) {
                dimLevel[index] = newDim;
            }
            if (newScene != null) {
                scene[index] = (byte) (int) newScene;
            }
            if (newPower != null) {
                on[index] = newPower;
            }
            states.add(state(index, now));
        }
        return new Reply("ok", new Outgoing(ackTopic, "{\"commandId\":\"" + commandId + "\",\"status\":\"ok\"}"),
                states);
    }

    private static Outgoing ack(String topic, String commandId, String reason) {
        return new Outgoing(topic, "{\"commandId\":\"" + commandId + "\",\"status\":\"error\",\"reason\":\""
                + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    /** First lamp index of a controller id, or -1 when it is none of this fleet's. */
    private int firstLampOf(String controller) {
        int c = controllerNumber(controller);
        return c < 0 ? -1 : (int) (((long) c * lamps + controllers - 1) / controllers);
    }

    private int endOf(String controller) {
        int c = controllerNumber(controller);
        return (int) (((long) (c + 1) * lamps + controllers - 1) / controllers);
    }

    private int controllerNumber(String controller) {
        if (!controller.matches("ctl_[0-9]{2,5}")) {
            return -1;
        }
        int c = Integer.parseInt(controller.substring(4)) - 1;
        return c >= 0 && c < controllers && controllerId(c).equals(controller) ? c : -1;
    }

    private int lampIndex(String lamp) {
        if (!lamp.matches("l-[0-9]{5,9}")) {
            return -1;
        }
        int index = Integer.parseInt(lamp.substring(2)) - 1;
        return index >= 0 && index < lamps && lampId(index).equals(lamp) ? index : -1;
    }
}
