import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final AtomicLong clock = new AtomicLong(10_000);

    private WorkQueue<String> queue(int capacity, long timeout, int maxDeliveries) {
        return new WorkQueue<>(capacity, timeout, maxDeliveries, clock::get);
    }

    private static <T> WorkQueue.Delivery<T> take(WorkQueue<T> q) {
        Optional<WorkQueue.Delivery<T>> d = q.poll();
        assertTrue(d.isPresent(), "expected a ready message");
        return d.get();
    }

    @Test
    void deliversInOfferOrder() {
        WorkQueue<String> q = queue(10, 1_000, 3);
        assertTrue(q.offer("a"));
        assertTrue(q.offer("b"));
        assertTrue(q.offer("c"));
        assertEquals("a", take(q).payload());
        assertEquals("b", take(q).payload());
        WorkQueue.Delivery<String> c = take(q);
        assertEquals("c", c.payload());
        assertEquals(1, c.attempt());
        assertTrue(q.poll().isEmpty());
    }

    @Test
    void capacityCountsReadyAndInFlight() {
        WorkQueue<String> q = queue(2, 1_000, 3);
        assertTrue(q.offer("a"));
        assertTrue(q.offer("b"));
        assertFalse(q.offer("c"));
        WorkQueue.Delivery<String> a = take(q);
        assertFalse(q.offer("c"), "an in-flight message still takes room");
        assertEquals(2, q.size());
        assertTrue(q.ack(a.receipt()));
        assertEquals(1, q.size());
        assertTrue(q.offer("c"));
        assertThrows(NullPointerException.class, () -> q.offer(null));
    }

    @Test
    void aLeaseEndsExactlyAtTheVisibilityTimeout() {
        WorkQueue<String> q = queue(10, 500, 5);
        q.offer("job");
        WorkQueue.Delivery<String> first = take(q); // leased until 10 500
        clock.set(10_499);
        assertTrue(q.poll().isEmpty());
        clock.set(10_500);
        WorkQueue.Delivery<String> second = take(q);
        assertEquals("job", second.payload());
        assertEquals(2, second.attempt());
        assertNotEquals(first.receipt(), second.receipt());
    }

    @Test
    void ackWithinTheLeaseRemovesTheMessage() {
        WorkQueue<String> q = queue(10, 500, 5);
        q.offer("job");
        WorkQueue.Delivery<String> d = take(q);
        clock.set(10_499);
        assertTrue(q.ack(d.receipt()));
        assertFalse(q.ack(d.receipt()), "a second ack of the same receipt");
        clock.set(99_999);
        assertTrue(q.poll().isEmpty());
        assertEquals(0, q.size());
    }

    @Test
    void anExpiredLeaseCannotBeAcked() {
        WorkQueue<String> q = queue(10, 500, 5);
        q.offer("job");
        WorkQueue.Delivery<String> d = take(q);
        clock.set(10_500);
        assertFalse(q.ack(d.receipt()));
        assertFalse(q.nack(d.receipt()));
        assertEquals(1, q.size());
        assertEquals(2, take(q).attempt());
    }

    @Test
    void aStaleReceiptCannotAckARedeliveredMessage() {
        WorkQueue<String> q = queue(10, 500, 5);
        q.offer("job");
        WorkQueue.Delivery<String> slow = take(q);
        clock.set(10_600);
        WorkQueue.Delivery<String> fresh = take(q);
        assertFalse(q.ack(slow.receipt()), "the slow consumer's lease expired");
        assertFalse(q.nack(slow.receipt()));
        assertTrue(q.poll().isEmpty(), "the message must still be leased to the second consumer");
        assertTrue(q.ack(fresh.receipt()));
        assertEquals(0, q.size());
    }

    @Test
    void unknownReceiptsChangeNothing() {
        WorkQueue<String> q = queue(10, 500, 5);
        q.offer("job");
        assertFalse(q.ack("no-such-receipt"));
        assertFalse(q.nack("no-such-receipt"));
        WorkQueue.Delivery<String> d = take(q);
        assertFalse(q.ack(d.receipt() + "x"));
        assertTrue(q.ack(d.receipt()));
    }

    @Test
    void nackMakesTheMessageReadyAtOnce() {
        WorkQueue<String> q = queue(10, 60_000, 5);
        q.offer("job");
        WorkQueue.Delivery<String> first = take(q);
        assertTrue(q.nack(first.receipt()));
        assertFalse(q.ack(first.receipt()));
        WorkQueue.Delivery<String> second = take(q);
        assertEquals("job", second.payload());
        assertEquals(2, second.attempt());
        assertNotEquals(first.receipt(), second.receipt());
    }

    @Test
    void aRedeliveredMessageKeepsItsPlace() {
        WorkQueue<String> q = queue(10, 1_000, 5);
        q.offer("first");
        WorkQueue.Delivery<String> d = take(q);
        q.offer("second");
        q.offer("third");
        assertTrue(q.nack(d.receipt()));
        assertEquals("first", take(q).payload());
        WorkQueue.Delivery<String> second = take(q);
        assertEquals("second", second.payload());
        clock.addAndGet(1_000); // first and second expire; third is still ready
        q.offer("fourth");
        assertEquals("first", take(q).payload());
        assertEquals("second", take(q).payload());
        assertEquals("third", take(q).payload());
        assertEquals("fourth", take(q).payload());
    }

    @Test
    void deadLettersAfterMaxDeliveries() {
        WorkQueue<String> q = queue(2, 100, 2);
        q.offer("poison");
        q.offer("ok");
        WorkQueue.Delivery<String> p1 = take(q);
        assertEquals("poison", p1.payload());
        q.nack(p1.receipt());
        WorkQueue.Delivery<String> p2 = take(q);
        assertEquals("poison", p2.payload());
        assertEquals(2, p2.attempt());
        clock.addAndGet(100); // the second lease runs out too
        WorkQueue.Delivery<String> next = take(q);
        assertEquals("ok", next.payload(), "poison was delivered twice: it must be dead-lettered");
        assertEquals(List.of("poison"), q.deadLetters());
        assertEquals(1, q.size());
        assertTrue(q.offer("new"), "a dead letter frees its room");
        assertTrue(q.ack(next.receipt()));
        assertEquals("new", take(q).payload());
        assertTrue(q.poll().isEmpty());
        assertEquals(List.of("poison"), q.deadLetters());
    }

    @Test
    void maxDeliveriesOfOneMeansNoRedelivery() {
        WorkQueue<String> q = queue(10, 100, 1);
        q.offer("once");
        WorkQueue.Delivery<String> d = take(q);
        q.nack(d.receipt());
        assertTrue(q.poll().isEmpty());
        assertEquals(List.of("once"), q.deadLetters());
        assertEquals(0, q.size());
    }

    @Test
    void receiptsAreUniqueAcrossDeliveries() {
        WorkQueue<Integer> q = new WorkQueue<>(1_000, 100, 10, clock::get);
        Set<String> receipts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            q.offer(i);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 50; i++) {
                assertTrue(receipts.add(take(q).receipt()));
            }
            clock.addAndGet(100);
        }
    }

    @Test
    void concurrentConsumersNeverShareAMessage() throws Exception {
        int messages = 20_000;
        WorkQueue<Integer> q = new WorkQueue<>(messages, 60_000, 3, clock::get);
        int consumers = 4;
        ConcurrentHashMap<Integer, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger acked = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(consumers + 1);
        try {
            List<Future<?>> done = new ArrayList<>();
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < messages; i++) {
                    while (!q.offer(i)) {
                        Thread.onSpinWait();
                    }
                }
                return null;
            }));
            for (int c = 0; c < consumers; c++) {
                done.add(pool.submit(() -> {
                    start.await();
                    while (acked.get() < messages) {
                        Optional<WorkQueue.Delivery<Integer>> d = q.poll();
                        if (d.isEmpty()) {
                            Thread.yield();
                            continue;
                        }
                        seen.merge(d.get().payload(), 1, Integer::sum);
                        if (!q.ack(d.get().receipt())) {
                            throw new AssertionError("a valid lease could not be acked");
                        }
                        acked.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(messages, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "a message was delivered twice");
        assertEquals(0, q.size());
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> queue(0, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> queue(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> queue(1, 100, 0));
    }
}
