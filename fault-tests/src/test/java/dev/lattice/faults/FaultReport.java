package dev.lattice.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per scenario run, printed and appended to {@code target/fault-report.md} as a Markdown
 * table, the table {@code docs/reliability.md} records.
 */
final class FaultReport {

    private static final Logger log = LoggerFactory.getLogger(FaultReport.class);
    private static final String HEADER = "| scenario | seed | acknowledged writes | failed calls | longest call | lost | stale | stale put answers | grid wrong | recovery |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n";

    private FaultReport() {
    }

    /** {@code inGrid}: the grid's answers for the same keys, checked like the table. */
    static void record(String scenario, long seed, Ledger ledger, Ledger.Check check, Ledger.Check inGrid, long recoveryMillis) {
        String line = String.format("| %s | %d | %d | %d | %.1f s | %d | %d | %d | %d | %.1f s |%n", scenario, seed, ledger.writes(),
                ledger.failedCalls(), ledger.maxCallMillis() / 1000.0, check.lost(), check.stale() + check.ahead(),
                ledger.staleReads(), inGrid.lost() + inGrid.stale() + inGrid.ahead(), recoveryMillis / 1000.0);
        log.info("fault report: {}", line.trim());
        Path report = Path.of(System.getProperty("faults.report", "target/fault-report.md"));
        try {
            Files.createDirectories(report.toAbsolutePath().getParent());
            if (!Files.exists(report)) {
                Files.writeString(report, "Fault suite run of " + Instant.now() + "\n\n" + HEADER);
            }
            Files.writeString(report, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
