package nl.lantaarn.search.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;

/**
 * Where the next page starts: the sort values and thing id of the last thing returned, and a fingerprint of the query
 * that produced it. Opaque to clients (base64url of a small JSON array). Keyset paging: a page never repeats or skips
 * a thing that did not change in between.
 */
record Cursor(int query, List<Key> keys, String thingId) {

    static final String PARAMETER = "cursor";
    private static final int VERSION = 1;

    /** A sort value: its kind ({@link Column} constants) and, for numbers and strings, the value. */
    record Key(byte type, double number, String string) {
    }

    String encode() {
        var keyArray = JsonFactory.newArrayBuilder();
        for (Key key : keys) {
            var entry = JsonFactory.newArrayBuilder().add(key.type());
            if (key.type() == Column.NUMBER) {
                entry.add(key.number());
            } else if (key.type() == Column.STRING) {
                entry.add(key.string());
            }
            keyArray.add(entry.build());
        }
        JsonArray json = JsonFactory.newArrayBuilder().add(VERSION).add(query).add(keyArray.build()).add(thingId)
                .build();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text, int expectedQuery, int expectedKeys) {
        JsonArray json;
        int query;
        try {
            json = JsonFactory.readFrom(new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8))
                    .asArray();
            if (json.getSize() != 4 || json.get(0).orElseThrow().asInt() != VERSION) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            query = json.get(1).orElseThrow().asInt();
        } catch (RuntimeException e) {
            throw new QueryException(PARAMETER, "The cursor is not one this hub handed out; use the 'cursor' of the"
                    + " previous page unchanged, or leave it out to start at the first page.");
        }
        if (query != expectedQuery) {
            throw new QueryException(PARAMETER, "The cursor belongs to another query: repeat the filter, sort, near,"
                    + " bbox, zone and within of the request that returned it, or leave the cursor out to start over.");
        }
        try {
            List<Key> keys = new ArrayList<>();
            for (JsonValue entry : json.get(2).orElseThrow().asArray()) {
                JsonArray pair = entry.asArray();
                byte type = (byte) pair.get(0).orElseThrow().asInt();
                if (type == Column.NUMBER) {
                    keys.add(new Key(type, pair.get(1).orElseThrow().asDouble(), null));
                } else if (type == Column.STRING) {
                    keys.add(new Key(type, 0, pair.get(1).orElseThrow().asString()));
                } else {
                    keys.add(new Key(type, 0, null));
                }
            }
            if (keys.size() != expectedKeys) {
                throw new IllegalArgumentException("sort fields differ");
            }
            return new Cursor(query, keys, json.get(3).orElseThrow().asString());
        } catch (RuntimeException e) {
            throw new QueryException(PARAMETER, "The cursor is damaged; use the 'cursor' of the previous page"
                    + " unchanged, or leave it out to start at the first page.");
        }
    }
}
