package dev.lattice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The whole suite end to end with tiny durations, so the harness keeps working: a real grid node,
 * stock member, Redis, PostgreSQL and JMH (in this JVM). Skipped where Redis or PostgreSQL is absent.
 */
class BenchSmokeTest {

    private static final String JDBC = Objects.requireNonNullElse(System.getenv("GRID_TEST_JDBC_URL"),
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    @Test
    void shortRun_printsEveryRowWithPositiveFiguresAndRatios() throws Exception {
        assumeTrue(listening("127.0.0.1", 6379), "no Redis at 127.0.0.1:6379");
        assumeTrue(BenchDatabase.reachable(JDBC), "no PostgreSQL at " + JDBC);
        BenchOptions options = BenchOptions.parse("--warmup=200ms", "--duration=400ms", "--threads=1,4", "--rate=400",
                "--rate-threads=2", "--keys=100", "--rows=2000", "--jdbc=" + JDBC, "--jmh-smoke=true", "--starts=1",
                "--heap-entries=20000");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<Row> rows = Bench.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        // Counted where Linux's /proc and a local redis-server are there (this machine, CI); elsewhere the run says why not.
        List<Row> wakeUps = rows.stream().filter(row -> row.unit().equals("wake-ups")).toList();
        if (wakeUps.isEmpty()) {
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("# thread wake-ups per call: not counted");
        } else {
            assertThat(wakeUps).extracting(Row::peer).containsExactlyInAnyOrder("Redis GET", "Hazelcast 5.7.0 get");
            // A Redis GET from one caller wakes redis-server at least once: a count of zero means nothing was read.
            assertThat(wakeUps).filteredOn(row -> row.peer().equals("Redis GET")).singleElement()
                    .satisfies(row -> assertThat(row.peerResult().value()).isGreaterThan(0.5));
        }
        assertThat(rows).filteredOn(row -> !row.unit().equals("wake-ups"))
                .extracting(row -> row.scenario() + " @" + row.concurrency() + " vs " + row.peer())
                .containsExactlyInAnyOrder(
                        "Remote get 1 KB @1 vs Redis GET", "Remote get 1 KB @1 vs Hazelcast 5.7.0 get",
                        "Remote put 1 KB @1 vs Redis SET", "Remote put 1 KB @1 vs Hazelcast 5.7.0 set",
                        "Remote get 1 KB @4 vs Redis GET", "Remote get 1 KB @4 vs Hazelcast 5.7.0 get",
                        "Remote put 1 KB @4 vs Redis SET", "Remote put 1 KB @4 vs Hazelcast 5.7.0 set",
                        "Remote get 1 KB at 400/s (latency from intended start) @2 vs Redis GET",
                        "Remote get 1 KB at 400/s (latency from intended start) @2 vs Hazelcast 5.7.0 get",
                        "Write-through set @1 vs pgjdbc single-row autocommit upsert",
                        "Write-through set @4 vs pgjdbc single-row autocommit upsert",
                        "Write-through putAll, 2 batches of 1,000 @1 vs pgjdbc batched upsert, 1 tx per batch",
                        "Write-behind putAll, acknowledged @1 vs Lattice map without a store",
                        "Write-behind putAll, acknowledged while draining (write delay 1 s) @1 vs Lattice map without a store",
                        "Write-behind putAll until stored (write delay 1 s) @writers 2 vs pgjdbc batched upsert, 4 connections, best of 2",
                        "Write-behind drain (flush) of 2000 rows @writers 2 vs pgjdbc batched upsert, 4 connections, best of 2",
                        "Write-behind drain (flush) of 2000 rows @writers 2 vs pgjdbc COPY into an empty table, 1 connection",
                        "Eager load of 2000 rows at node start @1 node vs pgjdbc streaming SELECT into a HashMap",
                        "Start to ready, PostgreSQL at --jdbc @median of 1 vs Hazelcast 5.7.0 member started",
                        "Start to ready, PostgreSQL at --jdbc, extracted jar + CDS archive @median of 1 vs Hazelcast 5.7.0 member started",
                        "Start to ready, embedded PostgreSQL (defaults) @median of 1 vs Hazelcast 5.7.0 member started",
                        "Heap per entry, 20,000 entries of 100 B @1 member vs Hazelcast 5.7.0 member, same entries",
                        "Near-cache hit (JMH), BINARY @1 vs Caffeine getIfPresent",
                        "Near-cache hit (JMH), BINARY @1 vs ConcurrentHashMap.get",
                        "Near-cache hit (JMH), OBJECT @1 vs Caffeine getIfPresent",
                        "Near-cache hit (JMH), OBJECT @1 vs ConcurrentHashMap.get",
                        "Near-cache hit (JMH), BINARY + front @1 vs Caffeine getIfPresent",
                        "Near-cache hit (JMH), BINARY + front @1 vs ConcurrentHashMap.get",
                        "Near-cache hit (JMH), OBJECT + front @1 vs Caffeine getIfPresent",
                        "Near-cache hit (JMH), OBJECT + front @1 vs ConcurrentHashMap.get");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.lattice().value()).as(row.scenario()).isPositive().isFinite();
            assertThat(row.peerResult().value()).as(row.peer()).isPositive().isFinite();
            assertThat(row.ratio()).as(row.scenario() + " ratio").isPositive().isFinite();
        });
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("| ")))
                .as("header and one printed line per row").hasSize(rows.size() + 1);
    }

    private static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
