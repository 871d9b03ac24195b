package nl.lantaarn.ditto.api.internal;

/** Where a protocol session writes: the WebSocket, or a test's list. Thread safe. */
interface Outbound {

    /** Sends one text message; never blocks. A peer that does not read is disconnected by the implementation. */
    void send(String text);

    /** Closes the connection with a WebSocket status code and a reason the peer can read. */
    void close(int statusCode, String reason);
}
