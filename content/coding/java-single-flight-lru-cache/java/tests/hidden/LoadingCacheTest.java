import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LoadingCacheTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

    private Function<String, String> countingLoader() {
        return key -> {
            int n = loads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return key + "#" + n;
        };
    }

    private int loadsOf(String key) {
        AtomicInteger n = loads.get(key);
        return n == null ? 0 : n.get();
    }

    /** Waits until every thread is parked or blocked, seen twice a few milliseconds apart. */
    private static void awaitAllBlocked(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int stableRounds = 0;
        while (stableRounds < 2) {
            boolean all = true;
            for (Thread t : threads) {
                Thread.State s = t.getState();
                if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING && s != Thread.State.BLOCKED) {
                    all = false;
                }
            }
            stableRounds = all ? stableRounds + 1 : 0;
            if (System.nanoTime() > deadline) {
                fail("the getter threads never blocked");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void loadsOnceThenHits() {
        LoadingCache<String, String> cache = new LoadingCache<>(10, 1_000, countingLoader(), clock::get);
        String first = cache.get("sku-1");
        assertEquals("sku-1#1", first);
        assertSame(first, cache.get("sku-1"));
        assertEquals(1, loadsOf("sku-1"));
        assertEquals("sku-2#1", cache.get("sku-2"));
    }

    @Test
    void expiresExactlyAtTtl() {
        LoadingCache<String, String> cache = new LoadingCache<>(10, 500, countingLoader(), clock::get);
        cache.get("a"); // stored at 1000, expires at 1500
        clock.set(1_499);
        assertEquals("a#1", cache.get("a"));
        clock.set(1_500);
        assertEquals("a#2", cache.get("a"));
        clock.set(1_999);
        assertEquals("a#2", cache.get("a"));
        assertEquals(2, loadsOf("a"));
    }

    @Test
    void ttlCountsFromTheEndOfTheLoad() {
        LoadingCache<String, String> cache = new LoadingCache<>(10, 500, key -> {
            clock.addAndGet(300); // a slow downstream call
            return countingLoader().apply(key);
        }, clock::get);
        cache.get("a"); // load starts at 1000, finishes at 1300: fresh until 1800
        clock.set(1_799);
        assertEquals("a#1", cache.get("a"));
        clock.set(1_800);
        assertEquals("a#2", cache.get("a"));
    }

    @Test
    void evictsTheLeastRecentlyUsedEntry() {
        LoadingCache<String, String> cache = new LoadingCache<>(2, 60_000, countingLoader(), clock::get);
        cache.get("a");
        cache.get("b");
        cache.get("a"); // a is now more recently used than b
        cache.get("c"); // evicts b
        assertEquals("a#1", cache.get("a"));
        assertEquals("c#1", cache.get("c"));
        assertEquals(1, loadsOf("a"));
        assertEquals("b#2", cache.get("b")); // reloaded; evicts a (c was used after a)
        assertEquals("c#1", cache.get("c"));
        assertEquals("a#2", cache.get("a"));
        assertEquals(2, cache.size());
    }

    @Test
    void neverHoldsMoreThanMaxEntries() {
        LoadingCache<Integer, String> cache = new LoadingCache<>(3, 60_000, k -> "v" + k, clock::get);
        for (int i = 0; i < 100; i++) {
            cache.get(i);
            assertTrue(cache.size() <= 3);
        }
        assertEquals(3, cache.size());
    }

    @Test
    void sizeCountsOnlyLiveEntries() {
        LoadingCache<String, String> cache = new LoadingCache<>(10, 100, countingLoader(), clock::get);
        cache.get("a");
        clock.set(1_050);
        cache.get("b");
        assertEquals(2, cache.size());
        clock.set(1_100);
        assertEquals(1, cache.size());
        clock.set(1_150);
        assertEquals(0, cache.size());
    }

    @Test
    void invalidateForcesAReload() {
        LoadingCache<String, String> cache = new LoadingCache<>(10, 60_000, countingLoader(), clock::get);
        cache.get("a");
        cache.invalidate("a");
        cache.invalidate("never-loaded");
        assertEquals(0, cache.size());
        assertEquals("a#2", cache.get("a"));
    }

    @Test
    void aFailedLoadIsThrownAsIsAndNotCached() {
        RuntimeException outage = new IllegalStateException("pricing API down");
        AtomicInteger calls = new AtomicInteger();
        LoadingCache<String, String> cache = new LoadingCache<>(10, 60_000, key -> {
            if (calls.incrementAndGet() == 1) {
                throw outage;
            }
            return "price";
        }, clock::get);
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> cache.get("sku"));
        assertSame(outage, thrown);
        assertEquals(0, cache.size());
        assertEquals("price", cache.get("sku"));
        assertEquals(2, calls.get());
    }

    @Test
    void concurrentMissesOfOneKeyLoadOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        LoadingCache<String, String> cache = new LoadingCache<>(10, 60_000, key -> {
            calls.incrementAndGet();
            awaitQuietly(release);
            return new String("price-of-" + key);
        }, clock::get);
        int n = 8;
        List<Thread> threads = new ArrayList<>();
        String[] results = new String[n];
        for (int i = 0; i < n; i++) {
            int slot = i;
            threads.add(new Thread(() -> results[slot] = cache.get("hot")));
        }
        threads.forEach(Thread::start);
        awaitAllBlocked(threads);
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(1, calls.get(), "the loader must run once for concurrent misses");
        for (String result : results) {
            assertSame(results[0], result);
        }
        assertEquals("price-of-hot", results[0]);
    }

    @Test
    void aFailedLoadReachesEveryWaiterAndIsNotCached() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RuntimeException outage = new IllegalStateException("timeout from pricing API");
        AtomicInteger calls = new AtomicInteger();
        LoadingCache<String, String> cache = new LoadingCache<>(10, 60_000, key -> {
            if (calls.incrementAndGet() == 1) {
                awaitQuietly(release);
                throw outage;
            }
            return "recovered";
        }, clock::get);
        int n = 5;
        List<Thread> threads = new ArrayList<>();
        List<AtomicReference<Throwable>> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            errors.add(error);
            threads.add(new Thread(() -> {
                try {
                    cache.get("sku");
                } catch (Throwable t) {
                    error.set(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        awaitAllBlocked(threads);
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(1, calls.get());
        for (AtomicReference<Throwable> error : errors) {
            assertSame(outage, error.get(), "every waiter must see the loader's own exception");
        }
        assertEquals("recovered", cache.get("sku"));
        assertEquals(2, calls.get());
    }

    @Test
    void otherKeysDoNotWaitForASlowLoad() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        LoadingCache<String, String> cache = new LoadingCache<>(10, 60_000, key -> {
            if (key.equals("slow")) {
                slowStarted.countDown();
                awaitQuietly(release);
            }
            return "v-" + key;
        }, clock::get);
        cache.get("cached");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<String> slow = pool.submit(() -> cache.get("slow"));
            awaitQuietly(slowStarted);
            Future<String> other = pool.submit(() -> cache.get("other"));
            Future<String> hit = pool.submit(() -> cache.get("cached"));
            try {
                assertEquals("v-other", other.get(5, TimeUnit.SECONDS));
                assertEquals("v-cached", hit.get(5, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                fail("a get of another key waited for the slow load");
            } finally {
                release.countDown();
            }
            assertEquals("v-slow", slow.get(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void manyThreadsManyKeys() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoadingCache<Integer, Integer> cache = new LoadingCache<>(1_000, 60_000, key -> {
            calls.incrementAndGet();
            Thread.yield();
            return key * 2;
        }, clock::get);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    awaitQuietly(start);
                    for (int i = 0; i < 5_000; i++) {
                        int key = (i * 7 + seed) % 200;
                        assertEquals(key * 2, cache.get(key));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, calls.get(), "each key must be loaded exactly once");
        assertEquals(200, cache.size());
    }

    @Test
    void rejectsInvalidArguments() {
        Function<String, String> loader = k -> k;
        assertThrows(IllegalArgumentException.class, () -> new LoadingCache<>(0, 1_000, loader, clock::get));
        assertThrows(IllegalArgumentException.class, () -> new LoadingCache<>(10, 0, loader, clock::get));
        assertThrows(NullPointerException.class, () -> new LoadingCache<String, String>(10, 1_000, null, clock::get));
        LoadingCache<String, String> cache = new LoadingCache<>(10, 1_000, loader, clock::get);
        assertThrows(NullPointerException.class, () -> cache.get(null));
        assertNull(loads.get("x"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
