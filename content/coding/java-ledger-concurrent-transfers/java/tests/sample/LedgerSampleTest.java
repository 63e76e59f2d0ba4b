import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LedgerSampleTest {
    @Test
    void theExampleFromTheStatement() {
        Ledger ledger = new Ledger();
        ledger.openAccount("alice", 10_000);
        ledger.openAccount("bob", 500);
        ledger.transfer("alice", "bob", 2_500);
        assertEquals(7_500, ledger.balance("alice"));
        ledger.transfer("bob", "alice", 3_000);
        assertEquals(0, ledger.balance("bob"));
        assertThrows(Ledger.InsufficientFundsException.class, () -> ledger.transfer("bob", "alice", 1));
        assertEquals(10_500, ledger.totalBalance());
    }
}
