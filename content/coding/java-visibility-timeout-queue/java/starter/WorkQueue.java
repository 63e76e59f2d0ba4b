import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/** A bounded in-memory work queue with visibility timeouts, acknowledgements and redelivery. */
public final class WorkQueue<T> {
    /** One delivery of a message: ack or nack it with its receipt. */
    public record Delivery<T>(String receipt, T payload, int attempt) {}

    public WorkQueue(int capacity, long visibilityTimeoutMillis, int maxDeliveries, LongSupplier clock) {
        throw new UnsupportedOperationException("not implemented");
    }

    public boolean offer(T payload) {
        throw new UnsupportedOperationException("not implemented");
    }

    public Optional<Delivery<T>> poll() {
        throw new UnsupportedOperationException("not implemented");
    }

    public boolean ack(String receipt) {
        throw new UnsupportedOperationException("not implemented");
    }

    public boolean nack(String receipt) {
        throw new UnsupportedOperationException("not implemented");
    }

    public int size() {
        throw new UnsupportedOperationException("not implemented");
    }

    public List<T> deadLetters() {
        throw new UnsupportedOperationException("not implemented");
    }
}
