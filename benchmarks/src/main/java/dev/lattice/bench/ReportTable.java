package dev.lattice.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The suite's output: one Markdown table, rows added as scenarios finish. */
final class ReportTable {

    private static final String HEADER = "| Scenario | Threads | Unit | Lattice | p50 us | p99 us | p99.9 us | Peer | Peer value "
            + "| p50 us | p99 us | p99.9 us | Ratio L/P | Better |";
    private static final String RULE = "|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|";

    private final List<Row> rows = new ArrayList<>();
    private final PrintStream out;

    ReportTable(PrintStream out) {
        this.out = out;
    }

    /** Adds a row and prints it at once, so a long run shows progress (and a crash keeps what ran). */
    synchronized void add(Row row) {
        if (rows.isEmpty()) {
            out.println(HEADER);
            out.println(RULE);
        }
        rows.add(row);
        out.println(format(row));
        out.flush();
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    static String format(Row row) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2fx | %s |",
                row.scenario(), row.concurrency(), row.unit(), number(row.lattice().value()),
                micros(row.lattice().p50Micros()), micros(row.lattice().p99Micros()), micros(row.lattice().p999Micros()),
                row.peer(), number(row.peerResult().value()), micros(row.peerResult().p50Micros()),
                micros(row.peerResult().p99Micros()), micros(row.peerResult().p999Micros()), row.ratio(),
                row.higherIsBetter() ? "higher" : "lower");
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String micros(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }
}
