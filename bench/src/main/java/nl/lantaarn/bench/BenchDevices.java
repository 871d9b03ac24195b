package nl.lantaarn.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The devices and input messages of the compare benchmark ({@code load}), as its message contract fixes them: device
 * {@code i} is {@code bench-} and six digits; by {@code i % 5} it is a The Things Stack sound-level meter (0, 1, 2), an
 * acoustic event sensor (3) or a people counter (4), anywhere in Eindhoven. Message {@code g} goes to device
 * {@code g % N} with sequence {@code g / N + 1}, and carries the key time {@code T = base + seq} milliseconds, written
 * with three fraction digits: (device, T) identifies it. Every message crosses its threshold, so every one should
 * give one alert. The payloads are those of the {@code simulate} commands ({@link TtnUplinks}, {@link SoundEvents},
 * {@link CrowdCounts}) with the contract's ids, values and times.
 */
final class BenchDevices {

    static final String ID_PREFIX = "bench-";
    static final int ID_DIGITS = 6;
    /** Most devices: the id has six digits. */
    static final int MAX_DEVICES = 1_000_000;
    static final String TTN_APPLICATION = "eindhoven-sound";
    static final String TTN_TENANT = "ttn";

    // Eindhoven, roughly the city within its ring roads and a bit beyond
    private static final double MIN_LAT = 51.40;
    private static final double MAX_LAT = 51.47;
    private static final double MIN_LON = 5.42;
    private static final double MAX_LON = 5.52;

    /** What a device sends; {@link #alertKind} is the last topic level of its alerts. */
    enum Kind {
        TTN("ttn"), SOUND("sound"), CROWD("crowd");

        final String alertKind;

        Kind(String alertKind) {
            this.alertKind = alertKind;
        }

        /** The kind of device {@code index}: 60 % TTN, 20 % sound events, 20 % crowd counts. */
        static Kind of(int index) {
            return switch (index % 5) {
                case 3 -> SOUND;
                case 4 -> CROWD;
                default -> TTN;
            };
        }
    }

    /**
     * One device: index, id, kind, topic and place; {@code ttn} is its The Things Stack identity (TTN devices only).
     */
    record Device(int index, String id, Kind kind, String topic, double lat, double lon, TtnUplinks.Device ttn) {
    }

    private BenchDevices() {
        throw new AssertionError("no instances");
    }

    /** {@code bench-000042} for 42. */
    static String id(int index) {
        if (index < 0 || index >= MAX_DEVICES) {
            throw new IllegalArgumentException("device index " + index + " is not 0.." + (MAX_DEVICES - 1));
        }
        String digits = Integer.toString(index);
        return ID_PREFIX + "0".repeat(ID_DIGITS - digits.length()) + digits;
    }

    /** The {@code count} devices, placed at random by {@code random} (the same seed, the same places). */
    static Device[] devices(int count, RandomGenerator random) {
        if (count < 1 || count > MAX_DEVICES) {
            throw new IllegalArgumentException("devices: " + count + " is not 1.." + MAX_DEVICES);
        }
        Device[] devices = new Device[count];
        for (int i = 0; i < count; i++) {
            devices[i] = device(i, random);
        }
        return devices;
    }

    static Device device(int index, RandomGenerator random) {
        String id = id(index);
        Kind kind = Kind.of(index);
        double lat = SoundEvents.round(random.nextDouble(MIN_LAT, MAX_LAT), 6);
        double lon = SoundEvents.round(random.nextDouble(MIN_LON, MAX_LON), 6);
        return switch (kind) {
            case TTN -> {
                String topic = "v3/" + TTN_APPLICATION + "@" + TTN_TENANT + "/devices/" + id + "/up";
                byte[] session = new byte[16];
                random.nextBytes(session);
                // a stable EUI per device under the simulators' test prefix
                String devEui = String.format(Locale.ROOT, "70B3D57ED1%06X", index);
                String devAddr = String.format(Locale.ROOT, "260C%04X", index & 0xFFFF);
                TtnUplinks.Device ttn = new TtnUplinks.Device(TtnUplinks.Kind.SOUND, id, devEui, devAddr,
                        Base64.getEncoder().encodeToString(session), TTN_TENANT, lat, lon, topic);
                yield new Device(index, id, kind, topic, lat, lon, ttn);
            }
            case SOUND -> new Device(index, id, kind, SoundEvents.TOPIC_PREFIX + id + SoundEvents.TOPIC_SUFFIX, lat,
                    lon, null);
            case CROWD -> new Device(index, id, kind, CrowdCounts.TOPIC_PREFIX + id + CrowdCounts.TOPIC_SUFFIX, lat,
                    lon, null);
        };
    }

    /** The device of message {@code g} among {@code count} devices. */
    static int deviceOf(long g, int count) {
        return (int) (g % count);
    }

    /** The device's sequence number (1, 2, ...) of message {@code g}. */
    static long sequenceOf(long g, int count) {
        return g / count + 1;
    }

    /** Message {@code g} of the device with this index and sequence; -1 when the sequence is not 1 or more. */
    static long message(int index, long sequence, int count) {
        return sequence < 1 ? -1 : (sequence - 1) * count + index;
    }

    /**
     * The payload of the device's message with sequence {@code seq} and key time {@code keyMillis} (epoch
     * milliseconds); its values, above the thresholds, come from {@code random}.
     */
    static byte[] payload(Device device, long seq, long keyMillis, RandomGenerator random) {
        String time = keyTime(keyMillis);
        String json = switch (device.kind()) {
            case TTN -> TtnUplinks.soundUplink(device.ttn(), frameCounter(keyMillis), random.nextInt(71, 86),
                    Instant.ofEpochMilli(keyMillis), time, random);
            case SOUND -> SoundEvents.payload(new SoundEvents.Sensor(device.id(), device.topic(), device.lat(),
                    device.lon()), new SoundEvents.Event("aggression", SoundEvents.round(random.nextDouble(0.80, 0.99),
                            2), SoundEvents.round(random.nextDouble(85, 100), 1), 1), time);
            case CROWD -> CrowdCounts.payload(new CrowdCounts.Counter(device.id(), device.topic(), device.lat(),
                    device.lon(), "camera", 400, CrowdCounts.Profile.NIGHTLIFE), crowdReport(random), time);
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The uplink's frame counter: the key time in milliseconds, modulo 2^32. The sequence alone restarts at 1 in every
     * run, and a hub that remembers a device's last counter (as The Things Network adapter does, to drop repeated
     * uplinks) would take the next run's first uplinks for repeats. The key time grows across runs (each run's base
     * is later than the previous run's last key time while a device sends fewer than 1,000 messages a second), and
     * a wrap is a drop far beyond any reset gap, which LoRaWAN hubs take as a device reset.
     */
    static long frameCounter(long keyMillis) {
        return keyMillis & 0xFFFF_FFFFL;
    }

    private static CrowdCounts.Report crowdReport(RandomGenerator random) {
        int count = random.nextInt(201, 401);
        double density = SoundEvents.round(count / 400.0, 3);
        return new CrowdCounts.Report(count, density, "inbound", density >= CrowdCounts.HIGH_RISK_DENSITY ? "high"
                : "low");
    }

    /** {@code 2026-11-23T21:14:05.000Z}: UTC, always three fraction digits (unlike {@link Instant#toString}). */
    static String keyTime(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        // a run's key times lie within a few seconds: the text up to the second is mostly the last one's
        SecondText last = lastSecond;
        if (last == null || last.second != second) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            StringBuilder text = new StringBuilder(20);
            pad(text, t.getYear(), 4).append('-');
            pad(text, t.getMonthValue(), 2).append('-');
            pad(text, t.getDayOfMonth(), 2).append('T');
            pad(text, t.getHour(), 2).append(':');
            pad(text, t.getMinute(), 2).append(':');
            pad(text, t.getSecond(), 2).append('.');
            last = new SecondText(second, text.toString());
            lastSecond = last;
        }
        StringBuilder out = new StringBuilder(24).append(last.text);
        return pad(out, millis, 3).append('Z').toString();
    }

    /** The text of a time up to its second and the dot. */
    private record SecondText(long second, String text) {
    }

    private static volatile SecondText lastSecond;

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
