import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoadingCacheSampleTest {
    @Test
    void hitsUntilTheTtlRunsOut() {
        AtomicLong clock = new AtomicLong(0); // a fake clock in milliseconds
        AtomicInteger loads = new AtomicInteger();
        LoadingCache<String, String> cache =
                new LoadingCache<>(100, 1_000, key -> key + "@" + loads.incrementAndGet(), clock::get);
        assertEquals("sku-1@1", cache.get("sku-1"));
        clock.set(999);
        assertEquals("sku-1@1", cache.get("sku-1"));
        clock.set(1_000);
        assertEquals("sku-1@2", cache.get("sku-1"));
    }

    @Test
    void evictsTheLeastRecentlyUsed() {
        AtomicInteger loads = new AtomicInteger();
        LoadingCache<String, Integer> cache =
                new LoadingCache<>(1, 1_000, key -> loads.incrementAndGet(), () -> 0L);
        cache.get("a");
        cache.get("b");
        assertEquals(1, cache.size());
        assertEquals(3, cache.get("a"));
    }
}
