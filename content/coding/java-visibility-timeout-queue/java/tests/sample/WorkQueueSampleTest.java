import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkQueueSampleTest {
    @Test
    void theExampleFromTheStatement() {
        AtomicLong clock = new AtomicLong(0); // a fake clock in milliseconds
        WorkQueue<String> jobs = new WorkQueue<>(1_000, 30_000, 3, clock::get);
        assertTrue(jobs.offer("grade submission 17"));
        WorkQueue.Delivery<String> d = jobs.poll().orElseThrow();
        assertEquals(1, d.attempt());
        clock.set(30_000);
        WorkQueue.Delivery<String> again = jobs.poll().orElseThrow();
        assertEquals("grade submission 17", again.payload());
        assertEquals(2, again.attempt());
        assertFalse(jobs.ack(d.receipt()));
        assertTrue(jobs.ack(again.receipt()));
        assertEquals(0, jobs.size());
    }
}
