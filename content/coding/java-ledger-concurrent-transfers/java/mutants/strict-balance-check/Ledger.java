import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/** An in-memory ledger of accounts in cents whose transfers are atomic under concurrency. */
public final class Ledger {
    /** Thrown when the source account holds less than the amount; nothing has changed. */
    public static final class InsufficientFundsException extends RuntimeException {
        public InsufficientFundsException(String message) {
            super(message);
        }
    }

    private static final class Account {
        final String id;
        final ReentrantLock lock = new ReentrantLock();
        long balanceCents; // guarded by lock

        Account(String id, long balanceCents) {
            this.id = id;
            this.balanceCents = balanceCents;
        }
    }

    // One global order for taking account locks: every thread locks in it, so none can wait in a cycle.
    private static final Comparator<Account> LOCK_ORDER = Comparator.comparing(a -> a.id);

    private final ConcurrentMap<String, Account> accounts = new ConcurrentHashMap<>();

    public void openAccount(String id, long initialCents) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("account id must not be blank");
        }
        if (initialCents < 0) {
            throw new IllegalArgumentException("initial balance must not be negative");
        }
        if (accounts.putIfAbsent(id, new Account(id, initialCents)) != null) {
            throw new IllegalArgumentException("account " + id + " already exists");
        }
    }

    public long balance(String id) {
        Account account = account(id);
        account.lock.lock();
        try {
            return account.balanceCents;
        } finally {
            account.lock.unlock();
        }
    }

    public void transfer(String fromId, String toId, long amountCents) {
        if (amountCents <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        Account from = account(fromId);
        Account to = account(toId);
        if (from == to) {
            throw new IllegalArgumentException("cannot transfer to the same account");
        }
        Account first = LOCK_ORDER.compare(from, to) < 0 ? from : to;
        Account second = first == from ? to : from;
        first.lock.lock();
        try {
            second.lock.lock();
            try {
                // Checked under both locks: no other transfer can spend the same cents meanwhile.
                if (from.balanceCents <= amountCents) {
                    throw new InsufficientFundsException(
                            "account " + fromId + " holds " + from.balanceCents + ", needs " + amountCents);
                }
                from.balanceCents -= amountCents;
                to.balanceCents += amountCents;
            } finally {
                second.lock.unlock();
            }
        } finally {
            first.lock.unlock();
        }
    }

    public long totalBalance() {
        List<Account> all = new ArrayList<>(accounts.values());
        all.sort(LOCK_ORDER);
        int locked = 0;
        try {
            for (Account account : all) {
                account.lock.lock();
                locked++;
            }
            long total = 0;
            for (Account account : all) {
                total += account.balanceCents;
            }
            return total;
        } finally {
            for (int i = locked - 1; i >= 0; i--) {
                all.get(i).lock.unlock();
            }
        }
    }

    private Account account(String id) {
        Account account = id == null ? null : accounts.get(id);
        if (account == null) {
            throw new IllegalArgumentException("unknown account " + id);
        }
        return account;
    }
}
