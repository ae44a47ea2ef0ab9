package dev.lattice.faults;

import static org.awaitility.Awaitility.await;

import dev.lattice.client.LatticeClient;
import dev.lattice.testsupport.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A grid of packaged nodes for one scenario, each in its own JVM and working directory, all
 * backing map {@code ledger} (string keys, text values, write-behind unless the scenario says
 * otherwise) by the scenario's database.
 */
final class Grid implements AutoCloseable {

    static final String MAP = "ledger";
    /** The map's store mode, write-behind with a 1 s delay unless a scenario's arguments set it. */
    static final String STORE_MODE = "--lattice.maps." + MAP + ".store.mode=";

    private final String clusterName = "faults-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<GridProcess> nodes = new ArrayList<>();
    private final List<LatticeClient> clients = new ArrayList<>();

    private Grid() {
    }

    /**
     * {@code size} nodes on free loopback ports, expecting each other ({@code initial-min-cluster-size},
     * so split-brain protection needs a majority), not started yet.
     */
    static Grid of(int size, FaultDatabase database, Path logs, Path work, String... extraArgs) {
        return of(size, database, logs, work, null, extraArgs);
    }

    /** As above, node {@code i} on {@code hosts} host {@code i} when hosts are given, else on loopback. */
    static Grid of(int size, FaultDatabase database, Path logs, Path work, IsolatedHosts hosts, String... extraArgs) {
        Grid grid = new Grid();
        // Member and HTTP ports together, all distinct: when FreePorts could repeat a port across calls, two
        // nodes got the same HTTP port in CI, and one failed to start after the other answered its readiness.
        List<Integer> ports = FreePorts.distinct(2 * size);
        List<Integer> memberPorts = ports.subList(0, size);
        List<Integer> httpPorts = ports.subList(size, 2 * size);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            addresses.add(hosts == null ? "127.0.0.1" : hosts.address(i));
        }
        String members = java.util.stream.IntStream.range(0, size).mapToObj(i -> addresses.get(i) + ":" + memberPorts.get(i))
                .collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            int httpPort = httpPorts.get(i);
            Path dir = work.resolve("node-" + i);
            List<String> args = new ArrayList<>(List.of(
                    "--lattice.network.interfaces=" + addresses.get(i),
                    "--server.address=" + addresses.get(i),
                    "--lattice.cluster-name=" + grid.clusterName,
                    "--lattice.network.port=" + memberPorts.get(i),
                    "--lattice.network.port-auto-increment=false",
                    "--lattice.discovery.members=" + members,
                    "--lattice.initial-min-cluster-size=" + size,
                    "--server.port=" + httpPort,
                    "--lattice.datasource.url=" + database.nodeUrl("node-" + i),
                    "--lattice.datasource.user=" + database.role(),
                    "--lattice.datasource.password=" + database.password(),
                    "--lattice.datasource.spool-directory=" + dir.resolve("spool"),
                    "--lattice.maps." + MAP + ".backup-count=1",
                    "--lattice.maps." + MAP + ".store.key-type=string",
                    "--lattice.maps." + MAP + ".store.value-type=text",
                    "--spring.main.banner-mode=off"));
            if (Stream.of(extraArgs).noneMatch(arg -> arg.startsWith(STORE_MODE))) {
                args.addAll(List.of(STORE_MODE + "write-behind", "--lattice.maps." + MAP + ".store.write-delay=1s"));
            }
            args.addAll(List.of(extraArgs));
            grid.nodes.add(new GridProcess("node-" + i, addresses.get(i), hosts == null ? List.of() : hosts.launcher(i),
                    memberPorts.get(i), httpPort, args, logs.resolve("node-" + i + ".log"), dir));
        }
        return grid;
    }

    /** Starts every node at the same moment and waits until all are ready. */
    Grid start(Duration timeout) {
        nodes.forEach(GridProcess::start);
        awaitReady(timeout);
        return this;
    }

    void awaitReady(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> nodes.stream()
                .filter(GridProcess::alive).count() == nodes.size() && nodes.stream().allMatch(GridProcess::ready));
    }

    GridProcess node(int index) {
        return nodes.get(index);
    }

    List<GridProcess> nodes() {
        return nodes;
    }

    /**
     * A client of the whole grid, with Lattice's defaults (retry connecting forever; a write whose
     * connection drops fails rather than being resent, and the ledger repeats it).
     */
    LatticeClient client() {
        LatticeClient client = LatticeClient.builder().clusterName(clusterName)
                .addresses(nodes.stream().map(n -> n.host() + ":" + n.memberPort()).toList()).build();
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        // Nodes first: a client that fails to close (an interrupted thread) must not leave them running.
        nodes.forEach(GridProcess::close);
        clients.forEach(LatticeClient::close);
    }
}
