package dev.lattice.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * The peer: a stock Hazelcast 5.7.0 member with Hazelcast's defaults, except what Lattice's node
 * also sets for a single loopback member (address, port, TCP/IP join, no phone-home), in its own
 * JVM with the same flags as the Lattice node. The load generator reaches it with a plain client.
 */
final class StockMember {

    private StockMember() {
    }

    /** What the child prints once its member has started, for {@link #start} to wait for. */
    private static final String STARTED = "stock member started";

    /** Child JVM entry point: {@code StockMember <port> <clusterName>}; runs until killed. */
    public static void main(String[] args) {
        Hazelcast.newHazelcastInstance(config(Integer.parseInt(args[0]), args[1]));
        // The child's stdout is its log file; this line is how the parent knows the member is up.
        System.out.println(STARTED);
        System.out.flush();
    }

    static Config config(int port, String clusterName) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        return config;
    }

    /**
     * A running member in a child JVM and a stock client connected to it.
     *
     * @param startedAfter from launching the JVM to {@code newHazelcastInstance} having returned
     */
    record Running(ChildJvm jvm, HazelcastInstance client, Duration startedAfter) implements AutoCloseable {
        @Override
        public void close() {
            client.shutdown();
            jvm.close();
        }
    }

    /** Starts the member and returns once a client is connected (the client waits for it, bounded). */
    static Running start(Path workDir) {
        int port = Ports.free(1).get(0);
        String clusterName = "bench-stock-" + ProcessHandle.current().pid() + "-" + port;
        ChildJvm jvm = ChildJvm.start(List.of("-cp", absoluteClassPath(), StockMember.class.getName(),
                Integer.toString(port), clusterName), workDir, workDir.resolve("stock-member.log"));
        try {
            // Its port listens before the member has started; the printed line comes after.
            Awaitility.await("stock member started, log " + jvm.log()).atMost(Duration.ofMinutes(2))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                        if (!jvm.alive()) {
                            throw new IllegalStateException("stock member exited:\n" + jvm.logText());
                        }
                        return jvm.logText().contains(STARTED);
                    });
            Duration startedAfter = jvm.sinceStart();
            ClientConfig client = new ClientConfig().setClusterName(clusterName);
            client.setProperty("hazelcast.logging.type", "slf4j");
            client.getNetworkConfig().addAddress("127.0.0.1:" + port);
            client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(30_000);
            return new Running(jvm, HazelcastClient.newHazelcastClient(client), startedAfter);
        } catch (RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    /** The child runs in its own directory, so relative entries (java -jar benchmarks/target/...) are resolved here. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    }
}
