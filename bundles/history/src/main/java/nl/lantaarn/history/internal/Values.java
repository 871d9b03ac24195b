package nl.lantaarn.history.internal;

import java.nio.ByteBuffer;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The values a point holds, kept as plain Java objects so the store's page cache stays small: {@link Long},
 * {@link Double}, {@link String}, {@link Boolean}, or {@link JsonText} for an array.
 */
final class Values {

    private static final byte LONG = 'L';
    private static final byte DOUBLE = 'D';
    private static final byte STRING = 'S';
    private static final byte TRUE = 'T';
    private static final byte FALSE = 'F';
    private static final byte JSON = 'J';

    /** A property value that is no number, string or boolean, kept as its JSON text. */
    record JsonText(String json) {
    }

    private Values() {
        throw new AssertionError("no instances");
    }

    /**
     * The stored form of a leaf value.
     *
     * @throws IllegalArgumentException for {@code null} and objects, which are never leaves
     */
    static Object of(JsonValue value) {
        if (value.isNumber()) {
            if (value.isLong()) {
                return value.asLong();
            }
            return value.asDouble();
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isArray()) {
            return new JsonText(value.toString());
        }
        throw new IllegalArgumentException("not a leaf value: " + value);
    }

    static JsonValue toJson(Object value) {
        if (value instanceof Long l) {
            return JsonValue.of(l);
        }
        if (value instanceof Double d) {
            return JsonValue.of(d);
        }
        if (value instanceof String s) {
            return JsonValue.of(s);
        }
        if (value instanceof Boolean b) {
            return JsonValue.of(b);
        }
        return JsonFactory.readFrom(((JsonText) value).json());
    }

    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double;
    }

    /** Tag byte, then the value: var-long, 8-byte double, or length-prefixed text. */
    static final class Type extends BasicDataType<Object> {

        static final Type INSTANCE = new Type();

        @Override
        public int getMemory(Object value) {
            if (value instanceof String s) {
                return 40 + 2 * s.length();
            }
            if (value instanceof JsonText t) {
                return 56 + 2 * t.json().length();
            }
            return 24;
        }

        @Override
        public void write(WriteBuffer buffer, Object value) {
            if (value instanceof Long l) {
                buffer.put(LONG).putVarLong(l);
            } else if (value instanceof Double d) {
                buffer.put(DOUBLE).putDouble(d);
            } else if (value instanceof String s) {
                buffer.put(STRING).putVarInt(s.length()).putStringData(s, s.length());
            } else if (value instanceof Boolean b) {
                buffer.put(b ? TRUE : FALSE);
            } else if (value instanceof JsonText t) {
                buffer.put(JSON).putVarInt(t.json().length()).putStringData(t.json(), t.json().length());
            } else {
                throw new IllegalArgumentException("cannot store " + value.getClass().getName());
            }
        }

        @Override
        public Object read(ByteBuffer buffer) {
            byte tag = buffer.get();
            switch (tag) {
                case LONG:
                    return DataUtils.readVarLong(buffer);
                case DOUBLE:
                    return buffer.getDouble();
                case STRING:
                    return DataUtils.readString(buffer);
                case TRUE:
                    return Boolean.TRUE;
                case FALSE:
                    return Boolean.FALSE;
                case JSON:
                    return new JsonText(DataUtils.readString(buffer));
                default:
                    throw new IllegalStateException("unknown value tag " + tag + " in the history store");
            }
        }

        @Override
        public int compare(Object a, Object b) {
            throw new UnsupportedOperationException("values are not ordered");
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }
    }
}
