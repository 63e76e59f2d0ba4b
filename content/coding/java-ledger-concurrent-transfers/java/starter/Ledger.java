/** An in-memory ledger of accounts in cents whose transfers are atomic under concurrency. */
public final class Ledger {
    /** Thrown when the source account holds less than the amount; nothing has changed. */
    public static final class InsufficientFundsException extends RuntimeException {
        public InsufficientFundsException(String message) {
            super(message);
        }
    }

    public void openAccount(String id, long initialCents) {
        throw new UnsupportedOperationException("not implemented");
    }

    public long balance(String id) {
        throw new UnsupportedOperationException("not implemented");
    }

    public void transfer(String fromId, String toId, long amountCents) {
        throw new UnsupportedOperationException("not implemented");
    }

    public long totalBalance() {
        throw new UnsupportedOperationException("not implemented");
    }
}
