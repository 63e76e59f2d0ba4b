import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/** A bounded in-memory work queue with visibility timeouts, acknowledgements and redelivery. */
public final class WorkQueue<T> {
    /** One delivery of a message: ack or nack it with its receipt. */
    public record Delivery<T>(String receipt, T payload, int attempt) {}

    private static final class Message<T> {
        final long sequence;
        final T payload;
        int deliveries;
        String receipt; // the current lease, null while ready
        long visibleAt;

        Message(long sequence, T payload) {
            this.sequence = sequence;
            this.payload = payload;
        }
    }

    private final int capacity;
    private final long visibilityTimeoutMillis;
    private final int maxDeliveries;
    private final LongSupplier clock;

    private final TreeMap<Long, Message<T>> ready = new TreeMap<>(); // by offer order
    private final Map<String, Message<T>> inFlight = new HashMap<>();
    private final PriorityQueue<Message<T>> leases =
            new PriorityQueue<>((a, b) -> Long.compare(a.visibleAt, b.visibleAt));
    private final List<T> deadLetters = new ArrayList<>();
    private long nextSequence;
    private long nextReceipt;

    public WorkQueue(int capacity, long visibilityTimeoutMillis, int maxDeliveries, LongSupplier clock) {
        if (capacity < 1 || visibilityTimeoutMillis < 1 || maxDeliveries < 1) {
            throw new IllegalArgumentException("capacity, visibility timeout and maxDeliveries must be >= 1");
        }
        this.capacity = capacity;
        this.visibilityTimeoutMillis = visibilityTimeoutMillis;
        this.maxDeliveries = maxDeliveries;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized boolean offer(T payload) {
        Objects.requireNonNull(payload, "payload");
        if (size() >= capacity) {
            return false;
        }
        long sequence = nextSequence++;
        ready.put(sequence, new Message<>(sequence, payload));
        return true;
    }

    public synchronized Optional<Delivery<T>> poll() {
        long now = clock.getAsLong();
        releaseExpired(now);
        while (!ready.isEmpty()) {
            Message<T> message = ready.pollFirstEntry().getValue();
            if (message.deliveries >= maxDeliveries) {
                deadLetters.add(message.payload);
                continue;
            }
            message.deliveries++;
            message.receipt = "r-" + (nextReceipt++) + "-" + message.sequence;
            message.visibleAt = now + visibilityTimeoutMillis;
            inFlight.put(message.receipt, message);
            leases.add(message);
            return Optional.of(new Delivery<>(message.receipt, message.payload, message.deliveries));
        }
        return Optional.empty();
    }

    public synchronized boolean ack(String receipt) {
        Message<T> message = currentLease(receipt);
        if (message == null) {
            return false;
        }
        endLease(message);
        return true;
    }

    public synchronized boolean nack(String receipt) {
        Message<T> message = currentLease(receipt);
        if (message == null) {
            return false;
        }
        endLease(message);
        ready.put(nextSequence++, message);
        return true;
    }

    public synchronized int size() {
        return ready.size() + inFlight.size();
    }

    public synchronized List<T> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** The in-flight message leased under this receipt, if the lease is still valid now. */
    private Message<T> currentLease(String receipt) {
        if (receipt == null) {
            return null;
        }
        releaseExpired(clock.getAsLong());
        return inFlight.get(receipt);
    }

    private void endLease(Message<T> message) {
        inFlight.remove(message.receipt);
        leases.remove(message);
        message.receipt = null;
    }

    /** Leases end at visibleAt exactly: from then on the message is ready again. */
    private void releaseExpired(long now) {
        while (!leases.isEmpty() && leases.peek().visibleAt <= now) {
            Message<T> message = leases.poll();
            inFlight.remove(message.receipt);
            message.receipt = null;
            ready.put(nextSequence++, message);
        }
    }
}
