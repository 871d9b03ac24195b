package nl.lantaarn.history.internal;

import java.nio.ByteBuffer;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * What the store knows of one series besides its points: its id in the point keys, and the definition of its feature at
 * the last change (which selects the retention); empty when the feature has no definition.
 */
record SeriesInfo(long id, String definition) {

    static final class Type extends BasicDataType<SeriesInfo> {

        static final Type INSTANCE = new Type();

        @Override
        public int getMemory(SeriesInfo info) {
            return 48 + 2 * info.definition().length();
        }

        @Override
        public void write(WriteBuffer buffer, SeriesInfo info) {
            String definition = info.definition();
            buffer.putVarLong(info.id()).putVarInt(definition.length()).putStringData(definition, definition.length());
        }

        @Override
        public SeriesInfo read(ByteBuffer buffer) {
            return new SeriesInfo(DataUtils.readVarLong(buffer), DataUtils.readString(buffer));
        }

        @Override
        public int compare(SeriesInfo a, SeriesInfo b) {
            throw new UnsupportedOperationException("series infos are not ordered");
        }

        @Override
        public SeriesInfo[] createStorage(int size) {
            return new SeriesInfo[size];
        }
    }
}
