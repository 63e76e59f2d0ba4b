import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LedgerTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Runs the workers to completion; fails on a deadlock, an error, or after 20 s. */
    private static void runAll(List<Runnable> workers) throws InterruptedException {
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (Runnable worker : workers) {
            Thread t = new Thread(() -> {
                try {
                    worker.run();
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            });
            t.setDaemon(true); // a deadlocked worker must not keep the JVM alive
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread t : threads) {
            while (t.isAlive()) {
                t.join(20);
                long[] deadlocked = THREADS.findDeadlockedThreads();
                if (deadlocked != null) {
                    fail("deadlock between " + deadlocked.length + " threads");
                }
                if (System.nanoTime() > deadline) {
                    fail("workers did not finish within 20 s");
                }
            }
        }
        if (error.get() != null) {
            throw new AssertionError("a worker failed: " + error.get(), error.get());
        }
    }

    private static Ledger ledgerWith(String... idsAndBalances) {
        Ledger ledger = new Ledger();
        for (int i = 0; i < idsAndBalances.length; i += 2) {
            ledger.openAccount(idsAndBalances[i], Long.parseLong(idsAndBalances[i + 1]));
        }
        return ledger;
    }

    @Test
    void transferMovesMoney() {
        Ledger ledger = ledgerWith("alice", "10000", "bob", "500");
        ledger.transfer("alice", "bob", 2_500);
        assertEquals(7_500, ledger.balance("alice"));
        assertEquals(3_000, ledger.balance("bob"));
        assertEquals(10_500, ledger.totalBalance());
    }

    @Test
    void theWholeBalanceMayBeTransferred() {
        Ledger ledger = ledgerWith("alice", "100", "bob", "0");
        ledger.transfer("alice", "bob", 100);
        assertEquals(0, ledger.balance("alice"));
        assertEquals(100, ledger.balance("bob"));
        ledger.transfer("bob", "alice", 100);
        assertEquals(100, ledger.balance("alice"));
    }

    @Test
    void anOverdraftIsRefusedAndChangesNothing() {
        Ledger ledger = ledgerWith("alice", "100", "bob", "7");
        assertThrows(Ledger.InsufficientFundsException.class, () -> ledger.transfer("alice", "bob", 101));
        assertEquals(100, ledger.balance("alice"));
        assertEquals(7, ledger.balance("bob"));
        assertThrows(Ledger.InsufficientFundsException.class, () -> ledger.transfer("bob", "alice", 8));
        assertEquals(107, ledger.totalBalance());
    }

    @Test
    void invalidTransfersAreRejected() {
        Ledger ledger = ledgerWith("alice", "100", "bob", "100");
        assertThrows(IllegalArgumentException.class, () -> ledger.transfer("alice", "bob", 0));
        assertThrows(IllegalArgumentException.class, () -> ledger.transfer("alice", "bob", -5));
        assertThrows(IllegalArgumentException.class, () -> ledger.transfer("alice", "alice", 10));
        assertThrows(IllegalArgumentException.class, () -> ledger.transfer("alice", "carol", 10));
        assertThrows(IllegalArgumentException.class, () -> ledger.transfer("carol", "alice", 10));
        assertThrows(IllegalArgumentException.class, () -> ledger.balance("carol"));
        assertEquals(100, ledger.balance("alice"));
        assertEquals(100, ledger.balance("bob"));
    }

    @Test
    void invalidAccountsAreRejected() {
        Ledger ledger = ledgerWith("alice", "0");
        assertThrows(IllegalArgumentException.class, () -> ledger.openAccount("alice", 5));
        assertThrows(IllegalArgumentException.class, () -> ledger.openAccount("bob", -1));
        assertThrows(IllegalArgumentException.class, () -> ledger.openAccount(" ", 1));
        assertThrows(IllegalArgumentException.class, () -> ledger.openAccount(null, 1));
        assertEquals(0, ledger.balance("alice"));
        assertEquals(0, ledger.totalBalance());
    }

    @Test
    void opposingTransfersNeverDeadlock() throws Exception {
        Ledger ledger = ledgerWith("acct-a", "1000000", "acct-b", "1000000", "acct-c", "1000000");
        List<Runnable> workers = new ArrayList<>();
        String[][] routes = {
            {"acct-a", "acct-b"}, {"acct-b", "acct-a"}, {"acct-b", "acct-c"}, {"acct-c", "acct-a"},
        };
        for (String[] route : routes) {
            workers.add(() -> {
                for (int i = 0; i < 100_000; i++) {
                    ledger.transfer(route[0], route[1], 1);
                }
            });
        }
        runAll(workers);
        assertEquals(3_000_000, ledger.totalBalance());
        assertEquals(1_100_000, ledger.balance("acct-a"));
        assertEquals(900_000, ledger.balance("acct-b"));
        assertEquals(1_000_000, ledger.balance("acct-c"));
    }

    @Test
    void aRingOfTransfersNeverDeadlocks() throws Exception {
        String[] ring = {"r1", "r2", "r3", "r4", "r5"};
        Ledger ledger = new Ledger();
        for (String id : ring) {
            ledger.openAccount(id, 50_000);
        }
        List<Runnable> workers = new ArrayList<>();
        for (int w = 0; w < ring.length; w++) {
            String from = ring[w];
            String to = ring[(w + 1) % ring.length]; // r5 pays r1: the lock order wraps around
            workers.add(() -> {
                for (int i = 0; i < 40_000; i++) {
                    ledger.transfer(from, to, 1);
                }
            });
        }
        runAll(workers);
        for (String id : ring) {
            assertEquals(50_000, ledger.balance(id));
        }
    }

    @Test
    void concurrentTransfersConserveMoney() throws Exception {
        int accounts = 8;
        Ledger ledger = new Ledger();
        for (int i = 0; i < accounts; i++) {
            ledger.openAccount("acct-" + i, 1_000);
        }
        AtomicInteger refused = new AtomicInteger();
        List<Runnable> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            SplittableRandom random = new SplittableRandom(42 + w);
            workers.add(() -> {
                for (int i = 0; i < 30_000; i++) {
                    int from = random.nextInt(accounts);
                    int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                    try {
                        ledger.transfer("acct-" + from, "acct-" + to, 1 + random.nextInt(400));
                    } catch (Ledger.InsufficientFundsException e) {
                        refused.incrementAndGet();
                    }
                }
            });
        }
        runAll(workers);
        long sum = 0;
        for (int i = 0; i < accounts; i++) {
            long balance = ledger.balance("acct-" + i);
            assertTrue(balance >= 0, "acct-" + i + " went negative: " + balance);
            sum += balance;
        }
        assertEquals(8_000, sum);
        assertEquals(8_000, ledger.totalBalance());
        assertTrue(refused.get() > 0, "some transfers should have been refused");
    }

    @Test
    void racingTransfersNeverOverdraw() throws Exception {
        int racers = 12;
        int attempts = 20_000;
        long funds = 200_000; // less than the 240 000 attempts: the racers drain it mid-run
        Ledger ledger = new Ledger();
        ledger.openAccount("source", funds);
        for (int r = 0; r < racers; r++) {
            ledger.openAccount(String.format("sink-%02d", r), 0);
        }
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Runnable> workers = new ArrayList<>();
        for (int r = 0; r < racers; r++) {
            String sink = String.format("sink-%02d", r);
            workers.add(() -> {
                for (int i = 0; i < attempts; i++) {
                    try {
                        ledger.transfer("source", sink, 1);
                        succeeded.incrementAndGet();
                    } catch (Ledger.InsufficientFundsException e) {
                        refused.incrementAndGet();
                    }
                }
            });
        }
        runAll(workers);
        assertEquals(0, ledger.balance("source"), "the source account was overdrawn");
        assertEquals(funds, succeeded.get(), "more cents were spent than the account held");
        assertEquals((long) racers * attempts - funds, refused.get());
        assertEquals(funds, ledger.totalBalance());
    }

    @Test
    void totalBalanceIsConsistentWhileTransfersRun() throws Exception {
        int accounts = 16;
        Ledger ledger = new Ledger();
        for (int i = 0; i < accounts; i++) {
            ledger.openAccount(String.format("acct-%02d", i), 10_000);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Long> wrongTotal = new AtomicReference<>();
        List<Runnable> workers = new ArrayList<>();
        AtomicInteger writersLeft = new AtomicInteger(3);
        for (int w = 0; w < 3; w++) {
            SplittableRandom random = new SplittableRandom(7 + w);
            workers.add(() -> {
                for (int i = 0; i < 60_000; i++) {
                    int from = random.nextInt(accounts);
                    int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                    try {
                        ledger.transfer(String.format("acct-%02d", from), String.format("acct-%02d", to), 1 + random.nextInt(50));
                    } catch (Ledger.InsufficientFundsException e) {
                        // fine
                    }
                }
                if (writersLeft.decrementAndGet() == 0) {
                    writing.set(false);
                }
            });
        }
        workers.add(() -> {
            while (writing.get()) {
                long total = ledger.totalBalance();
                if (total != 160_000) {
                    wrongTotal.compareAndSet(null, total);
                }
            }
        });
        runAll(workers);
        assertNull(wrongTotal.get(), "totalBalance() saw a transfer half done");
        assertEquals(160_000, ledger.totalBalance());
    }
}
