package nl.lantaarn.durable;

/** A queue holds as many entries as it may: the entry was not appended; the caller decides (e.g. a dead letter). */
public final class QueueFullException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String queue;
    private final int capacity;

    QueueFullException(String queue, int capacity) {
        super("outbox queue '" + queue + "' is full (" + capacity + " entries wait to be delivered)");
        this.queue = queue;
        this.capacity = capacity;
    }

    public String queue() {
        return queue;
    }

    public int capacity() {
        return capacity;
    }
}
