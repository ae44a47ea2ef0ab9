package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The database goes away for a while under load and comes back: the grid keeps taking writes and loses none. */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DatabaseOutageFaultTests {

    @Test
    @Tag("long")
    void databaseOutageUnderLoad_everyAcknowledgedWriteReachesTheTableOnceItIsBack() throws Exception {
        // 10 s in the short run, 30 s with -Pfaults-long (whose load is 60 s).
        Duration outage = Scenario.load().compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : Duration.ofSeconds(10);
        try (Scenario s = Scenario.start("database outage of " + outage.toSeconds() + " s", 3, Scenario.seed())) {
            s.startLoad();
            Scenario.hold(Duration.ofSeconds(3));
            s.database.cut();
            Scenario.hold(outage);
            s.database.restore();
            Scenario.hold(Duration.ofSeconds(3));
            s.stopLoad();
            s.verify(Duration.ofSeconds(90));
            // A put of a key not in memory reads the table for its answer, so it fails while the
            // database is away (documented); writes that read nothing must all be acknowledged.
            assertThat(s.ledger.failedBlindWrites()).as("write-behind keeps acknowledging set, delete and putAll while the"
                    + " database is away; failed calls:" + s.ledger.failureCauses()).isZero();
            assertThat(s.deadLetters()).as("an outage never dead-letters").isZero();
        }
    }
}
