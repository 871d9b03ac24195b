package nl.lantaarn.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Simulated LoRaWAN devices on The Things Stack and their uplinks as the JSON its MQTT server publishes on
 * {@code v3/<application>@<tenant>/devices/<device>/up}: sound-level meters (Elsys ERS Sound), people counters
 * (Milesight VS133) and particulate-matter sensors (Decentlab DL-PM) around Stratumseind, Eindhoven. The
 * {@code frm_payload} is encoded in each vendor's format and {@code decoded_payload} holds what the vendor's payload
 * formatter makes of it; every uplink has {@code "simulated": true}.
 */
final class TtnUplinks {

    static final String DEFAULT_TENANT = "ttn";

    /** The three kinds of device, each its own application, as a city would register them. */
    enum Kind {
        SOUND("eindhoven-sound", "ers-sound-", "elsys", "ers-sound", 5),
        PEOPLE("eindhoven-people", "vs133-", "milesight-iot", "vs133", 85),
        AIR("eindhoven-air", "dl-pm-", "decentlab", "dl-pm", 1);

        final String application;
        final String devicePrefix;
        final String brand;
        final String model;
        final int port;

        Kind(String application, String devicePrefix, String brand, String model, int port) {
            this.application = application;
            this.devicePrefix = devicePrefix;
            this.brand = brand;
            this.model = model;
            this.port = port;
        }
    }

    // Stratumseind runs about 350 m from its north-west end to its south-east end
    private static final double START_LAT = 51.44055;
    private static final double START_LON = 5.47740;
    private static final double END_LAT = 51.43790;
    private static final double END_LON = 5.48135;
    private static final double SIDE_OFFSET = 0.00005;
    private static final String GATEWAY_ID = "eui-b827ebfffe6c1a01";
    private static final String GATEWAY_EUI = "B827EBFFFE6C1A01";
    private static final double GATEWAY_LAT = 51.43912;
    private static final double GATEWAY_LON = 5.47870;
    private static final long[] FREQUENCIES = {868_100_000, 868_300_000, 868_500_000, 867_100_000, 867_300_000,
        867_500_000, 867_700_000, 867_900_000};
    /** Time on air by spreading factor and frame length, computed once: the load generator sends many uplinks. */
    private static final String[][] AIRTIMES = new String[13][256];
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /**
     * One simulated device: its identity, place and session, and the state its next uplink continues from (frame
     * counter, people counted so far). Not thread safe: one publishing thread owns all devices.
     */
    static final class Device {
        final Kind kind;
        final String deviceId;
        final String devEui;
        final String devAddr;
        final String sessionKeyId;
        final String tenant;
        final double lat;
        final double lon;
        final String topic;
        private long frameCounter;
        private long totalIn;
        private long totalOut;

        Device(Kind kind, String deviceId, String devEui, String devAddr, String sessionKeyId, String tenant, double lat,
                double lon, String topic) {
            this.kind = kind;
            this.deviceId = deviceId;
            this.devEui = devEui;
            this.devAddr = devAddr;
            this.sessionKeyId = sessionKeyId;
            this.tenant = tenant;
            this.lat = lat;
            this.lon = lon;
            this.topic = topic;
        }

        /** The frame counter of the next uplink. */
        long nextFrameCounter() {
            return frameCounter;
        }
    }

    private TtnUplinks() {
        throw new AssertionError("no instances");
    }

    /**
     * Device {@code index} (0-based) of {@code count}: kinds take turns (sound, people, air, sound, ...), numbered
     * from 1 within their kind, spread along the street. The session is new each run, as after a join.
     */
    static Device device(int index, int count, String tenant, RandomGenerator random) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("device " + index + " of " + count);
        }
        Kind kind = Kind.values()[index % Kind.values().length];
        int number = index / Kind.values().length + 1;
        String deviceId = kind.devicePrefix + number;
        double along = (index + 0.5) / count;
        double side = index % 2 == 0 ? SIDE_OFFSET : -SIDE_OFFSET;
        // a stable EUI per device (the same every run) under a test OUI-like prefix, kind in the 7th byte
        String devEui = String.format(Locale.ROOT, "70B3D57ED0%02X%04X", kind.ordinal() + 1, number & 0xFFFF);
        String devAddr = String.format(Locale.ROOT, "260B%04X", random.nextInt(0x10000));
        byte[] session = new byte[16];
        random.nextBytes(session);
        String topic = "v3/" + kind.application + "@" + tenant + "/devices/" + deviceId + "/up";
        return new Device(kind, deviceId, devEui, devAddr, Base64.getEncoder().encodeToString(session), tenant,
                round(START_LAT + (END_LAT - START_LAT) * along + side, 6),
                round(START_LON + (END_LON - START_LON) * along + side, 6), topic);
    }

    /** The device's next uplink, received at {@code now}; advances its frame counter and counts. */
    static String nextUplink(Device device, Instant now, RandomGenerator random) {
        byte[] frame;
        String decoded;
        switch (device.kind) {
            case SOUND -> {
                int soundAvg = random.nextInt(45, 86);
                SoundFrame sound = soundFrame(soundAvg, random);
                frame = sound.frame;
                decoded = sound.decoded;
            }
            case PEOPLE -> {
                int periodIn = random.nextInt(0, 60);
                int periodOut = random.nextInt(0, 60);
                device.totalIn += periodIn;
                device.totalOut += periodOut;
                frame = milesightFrame(device.totalIn, device.totalOut, periodIn, periodOut);
                decoded = String.format(Locale.ROOT, "{\"line_1_period_in\":%d,\"line_1_period_out\":%d,"
                        + "\"line_1_total_in\":%d,\"line_1_total_out\":%d}", periodIn, periodOut, device.totalIn,
                        device.totalOut);
            }
            default -> {
                int deviceNumber = Integer.parseInt(device.devEui.substring(12), 16);
                int pm1 = random.nextInt(10, 150);
                int pm25 = pm1 + random.nextInt(0, 60);
                int pm4 = pm25 + random.nextInt(0, 20);
                int pm10 = pm4 + random.nextInt(0, 40);
                int temperatureRaw = (int) Math.round((random.nextDouble(4.0, 22.0) + 46.85) * 65536 / 175.72);
                int humidityRaw = (int) Math.round((random.nextDouble(50.0, 95.0) + 6) * 65536 / 125);
                int pressureRaw = random.nextInt(49_500, 51_500);
                int batteryMillivolts = random.nextInt(3000, 3300);
                frame = decentlabFrame(deviceNumber, batteryMillivolts, pm1, pm25, pm4, pm10, temperatureRaw,
                        humidityRaw, pressureRaw);
                decoded = "{" + decentlabValue("air_humidity", "Air humidity", "%",
                        round(125.0 * humidityRaw / 65536 - 6, 2))
                        + "," + decentlabValue("air_temperature", "Air temperature", "\u00b0C",
                                round(175.72 * temperatureRaw / 65536 - 46.85, 2))
                        + "," + decentlabValue("barometric_pressure", "Barometric pressure", "Pa", pressureRaw * 2.0)
                        + "," + decentlabValue("battery_voltage", "Battery voltage", "V", batteryMillivolts / 1000.0)
                        + ",\"device_id\":" + deviceNumber
                        + "," + decentlabValue("pm10_0_mass_concentration", "PM10.0 mass concentration",
                                "\u00b5g\u22c5m\u207b\u00b3", pm10 / 10.0)
                        + "," + decentlabValue("pm1_0_mass_concentration", "PM1.0 mass concentration",
                                "\u00b5g\u22c5m\u207b\u00b3", pm1 / 10.0)
                        + "," + decentlabValue("pm2_5_mass_concentration", "PM2.5 mass concentration",
                                "\u00b5g\u22c5m\u207b\u00b3", pm25 / 10.0)
                        + "," + decentlabValue("pm4_0_mass_concentration", "PM4.0 mass concentration",
                                "\u00b5g\u22c5m\u207b\u00b3", pm4 / 10.0)
                        + ",\"protocol_version\":2}";
            }
        }
        long frameCounter = device.frameCounter++;
        Instant networkTime = now.minusMillis(210);
        return uplink(device, frameCounter, frame, decoded, now, now.toString(), networkTime.toString(), random);
    }

    /**
     * A sound-level meter's uplink with frame counter {@code frameCounter} and average level {@code soundAvg}, whose
     * top-level and {@code uplink_message} {@code received_at} are both {@code receivedAtText} (the time
     * {@code receivedAt} as the caller wants it written); leaves the device's own frame counter alone.
     */
    static String soundUplink(Device device, long frameCounter, int soundAvg, Instant receivedAt,
            String receivedAtText, RandomGenerator random) {
        if (device.kind != Kind.SOUND) {
            throw new IllegalArgumentException(device.deviceId + " is no sound-level meter");
        }
        SoundFrame sound = soundFrame(soundAvg, random);
        return uplink(device, frameCounter, sound.frame, sound.decoded, receivedAt, receivedAtText, receivedAtText,
                random);
    }

    /** An Elsys ERS Sound frame and its decoded payload, with a random peak above {@code soundAvg}. */
    private record SoundFrame(byte[] frame, String decoded) {
    }

    private static SoundFrame soundFrame(int soundAvg, RandomGenerator random) {
        int soundPeak = Math.min(120, soundAvg + random.nextInt(3, 16));
        double temperature = round(random.nextDouble(4.0, 22.0), 1);
        int humidity = random.nextInt(55, 96);
        int light = random.nextInt(0, 400);
        int motion = random.nextInt(0, 30);
        int vdd = random.nextInt(3550, 3650);
        byte[] frame = elsysFrame(temperature, humidity, light, motion, vdd, soundPeak, soundAvg);
        StringBuilder decoded = new StringBuilder(112).append("{\"humidity\":").append(humidity)
                .append(",\"light\":").append(light).append(",\"motion\":").append(motion)
                .append(",\"soundAvg\":").append(soundAvg).append(",\"soundPeak\":").append(soundPeak)
                .append(",\"temperature\":");
        Simulators.fixed(decoded, temperature, 1).append(",\"vdd\":").append(vdd).append('}');
        return new SoundFrame(frame, decoded.toString());
    }

    /**
     * The uplink JSON; {@code receivedAtText} is written as the top-level {@code received_at},
     * {@code networkReceivedAtText} as the {@code uplink_message}'s.
     */
    private static String uplink(Device device, long frameCounter, byte[] frame, String decoded, Instant now,
            String receivedAtText, String networkReceivedAtText, RandomGenerator random) {
        Kind kind = device.kind;
        // the gateway hears it ~0.2 s before the network server, which is ~0.2 s before the application server
        Instant gatewayTime = now.minusMillis(420);
        Instant networkTime = now.minusMillis(210);
        int spreadingFactor = random.nextInt(7, 11);
        long frequency = FREQUENCIES[random.nextInt(FREQUENCIES.length)];
        int rssi = -random.nextInt(60, 116);
        double snr = round(random.nextDouble(-8.0, 11.0), 1);
        long timestamp = random.nextLong(0, 1L << 32);
        String gatewayText = gatewayTime.toString();
        StringBuilder json = new StringBuilder(1800);
        json.append("{\"end_device_ids\":{\"device_id\":\"").append(device.deviceId)
                .append("\",\"application_ids\":{\"application_id\":\"").append(kind.application)
                .append("\"},\"dev_eui\":\"").append(device.devEui)
                .append("\",\"join_eui\":\"70B3D57ED0000000\",\"dev_addr\":\"").append(device.devAddr).append("\"},")
                .append("\"correlation_ids\":[\"as:up:").append(ulid(now, random))
                .append("\",\"gs:uplink:").append(ulid(gatewayTime, random))
                .append("\",\"ns:uplink:").append(ulid(networkTime, random)).append("\"],")
                .append("\"received_at\":\"").append(receivedAtText).append("\",")
                .append("\"uplink_message\":{\"session_key_id\":\"").append(device.sessionKeyId).append('"');
        json.append(",\"f_port\":").append(kind.port);
        if (frameCounter != 0) { // The Things Stack leaves out fields that are 0
            json.append(",\"f_cnt\":").append(frameCounter);
        }
        json.append(",\"frm_payload\":\"").append(Base64.getEncoder().encodeToString(frame)).append('"')
                .append(",\"decoded_payload\":").append(decoded)
                .append(",\"rx_metadata\":[{\"gateway_ids\":{\"gateway_id\":\"").append(GATEWAY_ID)
                .append("\",\"eui\":\"").append(GATEWAY_EUI).append("\"},\"time\":\"").append(gatewayText)
                .append("\",\"timestamp\":").append(timestamp)
                .append(",\"rssi\":").append(rssi).append(",\"channel_rssi\":").append(rssi)
                .append(",\"snr\":");
        Simulators.fixed(json, snr, 1)
                .append(",\"location\":{\"latitude\":").append(GATEWAY_LAT).append(",\"longitude\":")
                .append(GATEWAY_LON).append(",\"altitude\":21,\"source\":\"SOURCE_REGISTRY\"}")
                .append(",\"received_at\":\"").append(gatewayText).append("\"}]")
                .append(",\"settings\":{\"data_rate\":{\"lora\":{\"bandwidth\":125000,\"spreading_factor\":")
                .append(spreadingFactor).append(",\"coding_rate\":\"4/5\"}},\"frequency\":\"").append(frequency)
                .append("\",\"timestamp\":").append(timestamp).append(",\"time\":\"").append(gatewayText)
                .append("\"},\"received_at\":\"").append(networkReceivedAtText).append('"')
                .append(",\"consumed_airtime\":\"").append(airtimeSeconds(frame.length, spreadingFactor)).append("s\"")
                .append(",\"locations\":{\"user\":{\"latitude\":").append(device.lat).append(",\"longitude\":")
                .append(device.lon).append(",\"altitude\":4,\"source\":\"SOURCE_REGISTRY\"}}")
                .append(",\"version_ids\":{\"brand_id\":\"").append(kind.brand).append("\",\"model_id\":\"")
                .append(kind.model).append("\",\"band_id\":\"EU_863_870\"}")
                .append(",\"network_ids\":{\"net_id\":\"000013\",\"tenant_id\":\"").append(device.tenant)
                .append("\",\"cluster_id\":\"eu1\",\"cluster_address\":\"eu1.cloud.thethings.network\"}}")
                .append(",\"simulated\":true}");
        return json.toString();
    }

    /** Elsys type-length-value frame: temperature, humidity, light, motion, battery, sound (peak, average). */
    static byte[] elsysFrame(double temperature, int humidity, int light, int motion, int vdd, int soundPeak,
            int soundAvg) {
        int tenths = (int) Math.round(temperature * 10);
        return new byte[] {
            0x01, (byte) (tenths >> 8), (byte) tenths,
            0x02, (byte) humidity,
            0x04, (byte) (light >> 8), (byte) light,
            0x05, (byte) motion,
            0x07, (byte) (vdd >> 8), (byte) vdd,
            0x15, (byte) soundPeak, (byte) soundAvg};
    }

    /** Milesight channel frame: line 1 total in and out (uint32 little-endian), period in and out (uint16 LE). */
    static byte[] milesightFrame(long totalIn, long totalOut, int periodIn, int periodOut) {
        byte[] frame = new byte[18];
        frame[0] = 0x03;
        frame[1] = (byte) 0xD2;
        littleEndian(frame, 2, totalIn, 4);
        frame[6] = 0x04;
        frame[7] = (byte) 0xD2;
        littleEndian(frame, 8, totalOut, 4);
        frame[12] = 0x05;
        frame[13] = (byte) 0xCC;
        littleEndian(frame, 14, periodIn, 2);
        littleEndian(frame, 16, periodOut, 2);
        return frame;
    }

    /**
     * Decentlab protocol 2 frame: version, device id, sensor flags (battery, PM sensor, temperature/humidity,
     * pressure), then big-endian 16-bit words: battery mV; PM1.0, PM2.5, PM4.0, PM10 mass in 0.1 ug/m3; typical
     * particle size and five number concentrations (simulated as fixed); temperature and humidity raw; pressure / 2 Pa.
     */
    static byte[] decentlabFrame(int deviceNumber, int batteryMillivolts, int pm1, int pm25, int pm4, int pm10,
            int temperatureRaw, int humidityRaw, int pressureRaw) {
        int[] words = {deviceNumber, 0x000F, batteryMillivolts, pm1, pm25, pm4, pm10, 501, 263, 300, 301, 301, 301,
            temperatureRaw, humidityRaw, pressureRaw};
        byte[] frame = new byte[1 + words.length * 2];
        frame[0] = 2;
        for (int i = 0; i < words.length; i++) {
            frame[1 + 2 * i] = (byte) (words[i] >> 8);
            frame[2 + 2 * i] = (byte) words[i];
        }
        return frame;
    }

    private static String decentlabValue(String name, String displayName, String unit, double value) {
        return "\"" + name + "\":{\"displayName\":\"" + displayName + "\",\"unit\":\"" + unit + "\",\"value\":"
                + number(value) + "}";
    }

    private static void littleEndian(byte[] frame, int offset, long value, int length) {
        for (int i = 0; i < length; i++) {
            frame[offset + i] = (byte) (value >> (8 * i));
        }
    }

    /** A ULID as in The Things Stack's correlation ids: 48-bit time, 80 random bits, Crockford base 32. */
    static String ulid(Instant time, RandomGenerator random) {
        char[] text = new char[26];
        long millis = time.toEpochMilli();
        for (int i = 9; i >= 0; i--) {
            text[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            text[i] = CROCKFORD[random.nextInt(32)];
        }
        return new String(text);
    }

    /** LoRa time on air (125 kHz, coding rate 4/5, 8-symbol preamble, explicit header, CRC), as The Things Stack shows it. */
    static String airtimeSeconds(int frmPayloadLength, int spreadingFactor) {
        boolean cacheable = frmPayloadLength >= 0 && frmPayloadLength < AIRTIMES[0].length && spreadingFactor >= 0
                && spreadingFactor < AIRTIMES.length;
        String known = cacheable ? AIRTIMES[spreadingFactor][frmPayloadLength] : null;
        if (known == null) {
            known = computeAirtimeSeconds(frmPayloadLength, spreadingFactor);
            if (cacheable) {
                AIRTIMES[spreadingFactor][frmPayloadLength] = known; // a race writes the same string twice
            }
        }
        return known;
    }

    private static String computeAirtimeSeconds(int frmPayloadLength, int spreadingFactor) {
        int phyLength = frmPayloadLength + 13; // MHDR, FHDR without options, FPort, MIC
        double symbol = Math.pow(2, spreadingFactor) / 125_000.0;
        boolean lowRate = spreadingFactor >= 11;
        double payloadSymbols = 8 + Math.max(Math.ceil((8.0 * phyLength - 4 * spreadingFactor + 28 + 16)
                / (4.0 * (spreadingFactor - (lowRate ? 2 : 0)))) * 5, 0);
        Duration airtime = Duration.ofNanos(Math.round((12.25 + payloadSymbols) * symbol * 1e9));
        return String.format(Locale.ROOT, "%.6f", airtime.toNanos() / 1e9);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
