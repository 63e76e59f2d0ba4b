import java.util.function.Function;
import java.util.function.LongSupplier;

/** A bounded LRU cache with a TTL whose loads are coalesced per key (single flight). */
public final class LoadingCache<K, V> {
    public LoadingCache(
            int maxEntries, long ttlMillis, Function<? super K, ? extends V> loader, LongSupplier clock) {
        throw new UnsupportedOperationException("not implemented");
    }

    public V get(K key) {
        throw new UnsupportedOperationException("not implemented");
    }

    public void invalidate(K key) {
        throw new UnsupportedOperationException("not implemented");
    }

    public int size() {
        throw new UnsupportedOperationException("not implemented");
    }
}
