import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** A bounded LRU cache with a TTL whose loads are coalesced per key (single flight). */
public final class LoadingCache<K, V> {
    private static final class Entry<V> {
        final V value;
        final long expiresAt;

        Entry(V value, long expiresAt) {
            this.value = value;
            this.expiresAt = expiresAt;
        }
    }

    private final int maxEntries;
    private final long ttlMillis;
    private final Function<? super K, ? extends V> loader;
    private final LongSupplier clock;

    private final Object lock = new Object();
    // Access order: iteration starts at the least recently used entry.
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<K, CompletableFuture<V>> inFlight = new HashMap<>();

    public LoadingCache(
            int maxEntries, long ttlMillis, Function<? super K, ? extends V> loader, LongSupplier clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1");
        }
        if (ttlMillis < 1) {
            throw new IllegalArgumentException("ttlMillis must be >= 1");
        }
        this.maxEntries = maxEntries;
        this.ttlMillis = ttlMillis;
        this.loader = Objects.requireNonNull(loader, "loader");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public V get(K key) {
        Objects.requireNonNull(key, "key");
        CompletableFuture<V> flight;
        boolean leader = false;
        synchronized (lock) {
            Entry<V> entry = entries.get(key); // a hit also makes the entry most recently used
            if (entry != null) {
                if (clock.getAsLong() < entry.expiresAt) {
                    return entry.value;
                }
                entries.remove(key);
            }
            flight = inFlight.get(key);
            if (flight == null) {
                flight = new CompletableFuture<>();
                inFlight.put(key, flight);
                leader = true;
            }
        }
        // The loader runs outside the lock: other keys must never wait for a slow load.
        return leader ? load(key, flight) : await(flight);
    }

    public void invalidate(K key) {
        synchronized (lock) {
            entries.remove(key);
        }
    }

    public int size() {
        synchronized (lock) {
            long now = clock.getAsLong();
            int live = 0;
            for (Entry<V> entry : entries.values()) {
                if (now < entry.expiresAt) {
                    live++;
                }
            }
            return live;
        }
    }

    private V load(K key, CompletableFuture<V> flight) {
        V value;
        try {
            value = Objects.requireNonNull(loader.apply(key), "the loader returned null");
        } catch (RuntimeException | Error failure) {
            synchronized (lock) {
                inFlight.remove(key); // failures are not cached: the next get loads afresh
            }
            flight.completeExceptionally(failure);
            throw failure;
        }
        synchronized (lock) {
            inFlight.remove(key);
            // The TTL counts from the end of the load, when the value is actually fresh.
            entries.put(key, new Entry<>(value, clock.getAsLong() + ttlMillis));
            if (entries.size() > maxEntries) {
                Iterator<K> eldest = entries.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        flight.complete(value);
        return value;
    }

    private static <V> V await(CompletableFuture<V> flight) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return flight.get();
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: the load is shared, then restore the flag
                } catch (ExecutionException e) {
                    throw new java.util.concurrent.CompletionException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
