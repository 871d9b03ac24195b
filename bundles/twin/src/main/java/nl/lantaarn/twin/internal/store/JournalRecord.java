package nl.lantaarn.twin.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.eclipse.ditto.things.model.ThingId;

import nl.lantaarn.twin.spi.StoredThing;

/**
 * One entry of a journal segment: the full new state of one thing, or its removal. Layout (big endian):
 * {@code int bodyLength, int crc32c(body), body}, body = {@code byte op, long revision, short idLength, id (UTF-8),
 * json (UTF-8, the rest)}. The checksum finds a record torn by a crash (only ever the last one of a segment, and one
 * that was never acknowledged).
 */
record JournalRecord(ThingId thingId, StoredThing thing) {

    static final int HEADER = 8;
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    /** Far above any real thing; a length beyond it is a torn header. */
    private static final int MAX_BODY = 64 * 1024 * 1024;

    static JournalRecord put(StoredThing thing) {
        return new JournalRecord(thing.thingId(), thing);
    }

    static JournalRecord delete(ThingId thingId) {
        return new JournalRecord(thingId, null);
    }

    boolean isDelete() {
        return thing == null;
    }

    ByteBuffer encode() {
        byte[] id = thingId.toString().getBytes(StandardCharsets.UTF_8);
        byte[] json = thing == null ? new byte[0] : thing.json().getBytes(StandardCharsets.UTF_8);
        int bodyLength = 1 + 8 + 2 + id.length + json.length;
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + bodyLength);
        buffer.putInt(bodyLength).putInt(0);
        buffer.put(thing == null ? DELETE : PUT).putLong(thing == null ? 0 : thing.revision())
                .putShort((short) id.length).put(id).put(json);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), HEADER, bodyLength);
        buffer.putInt(4, (int) crc.getValue());
        return buffer.flip();
    }

    /**
     * Reads every whole record of a segment in order, stopping at the first torn or damaged one.
     *
     * @return the number of bytes after the last whole record (0 for a segment that ends cleanly)
     */
    static long readSegment(Path segment, Consumer<JournalRecord> sink) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = channel.size();
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (position + HEADER <= size) {
                header.clear();
                readFully(channel, header, position);
                int bodyLength = header.getInt(0);
                int checksum = header.getInt(4);
                if (bodyLength < 11 || bodyLength > MAX_BODY || position + HEADER + bodyLength > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(bodyLength);
                readFully(channel, body, position + HEADER);
                CRC32C crc = new CRC32C();
                crc.update(body.array(), 0, bodyLength);
                if ((int) crc.getValue() != checksum) {
                    break;
                }
                JournalRecord record = decode(body.flip());
                if (record == null) {
                    break;
                }
                sink.accept(record);
                position += HEADER + bodyLength;
            }
            return size - position;
        }
    }

    private static JournalRecord decode(ByteBuffer body) {
        byte op = body.get();
        long revision = body.getLong();
        int idLength = body.getShort() & 0xffff;
        if (idLength > body.remaining() || (op != PUT && op != DELETE)) {
            return null;
        }
        String id = new String(body.array(), body.position(), idLength, StandardCharsets.UTF_8);
        body.position(body.position() + idLength);
        ThingId thingId = ThingId.of(id);
        if (op == DELETE) {
            return delete(thingId);
        }
        String json = new String(body.array(), body.position(), body.remaining(), StandardCharsets.UTF_8);
        return put(new StoredThing(thingId, revision, json));
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of journal segment");
            }
        }
    }
}
