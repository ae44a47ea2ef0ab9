package dev.lattice.testsupport;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An in-JVM cluster of real Hazelcast members on free loopback ports, plus clients connected to
 * it. Each cluster gets a unique cluster name, so clusters of parallel tests never merge.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().members(3).start()) {
 *     HazelcastInstance client = cluster.newClient();
 *     ...
 *     cluster.terminate(0); // abrupt, like kill -9
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

    /** What a member config factory is given: where this member listens and who its peers are. */
    public record MemberSlot(String clusterName, int port, List<String> memberAddresses) {
    }

    private final String clusterName;
    private final List<Integer> ports;
    private final Function<MemberSlot, Config> configFactory;
    private final List<HazelcastInstance> members = new CopyOnWriteArrayList<>();
    private final List<HazelcastInstance> clients = new CopyOnWriteArrayList<>();
    private int nextPort;

    private LocalCluster(String clusterName, List<Integer> ports, Function<MemberSlot, Config> configFactory) {
        this.clusterName = clusterName;
        this.ports = ports;
        this.configFactory = configFactory;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The config every member gets unless a factory is given: TCP/IP join on loopback only,
     * multicast off, no auto-increment (ports are chosen up front), phone-home off, and
     * invalidations sent at once so near-cache tests need not wait for a batch.
     */
    public static Config defaultConfig(MemberSlot slot) {
        Config config = new Config();
        config.setClusterName(slot.clusterName());
        config.setInstanceName(slot.clusterName() + "-" + slot.port());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
        applyLoopbackNetwork(config, slot);
        return config;
    }

    /** Points {@code config} at this slot's port and peers, on loopback, with multicast off. */
    public static void applyLoopbackNetwork(Config config, MemberSlot slot) {
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(slot.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(slot.memberAddresses());
    }

    public String clusterName() {
        return clusterName;
    }

    /** Members still running, in start order. */
    public List<HazelcastInstance> members() {
        return members.stream().filter(m -> m.getLifecycleService().isRunning()).collect(Collectors.toList());
    }

    public HazelcastInstance member(int index) {
        return members.get(index);
    }

    /** The loopback addresses of every member slot, for a client's address list. */
    public List<String> addresses() {
        return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.toList());
    }

    /** Starts one more member on the next free slot and waits until it has joined. */
    public HazelcastInstance startMember() {
        if (nextPort >= ports.size()) {
            throw new IllegalStateException("no spare member slot left: build the cluster with more spare slots");
        }
        int port = ports.get(nextPort++);
        Config config = configFactory.apply(new MemberSlot(clusterName, port, addresses()));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        members.add(member);
        return member;
    }

    /** Kills member {@code index} abruptly, as {@code kill -9} would: no migration, no goodbye. */
    public void terminate(int index) {
        members.get(index).getLifecycleService().terminate();
    }

    /** Shuts member {@code index} down gracefully: its partitions migrate before it leaves. */
    public void shutdown(int index) {
        members.get(index).shutdown();
    }

    /** A client on this cluster with smart routing and unlimited reconnect, customised further by {@code customizer}. */
    public HazelcastInstance newClient(Consumer<ClientConfig> customizer) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getNetworkConfig().setAddresses(new ArrayList<>(addresses()));
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(30_000);
        customizer.accept(config);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        clients.add(client);
        return client;
    }

    public HazelcastInstance newClient() {
        return newClient(c -> { });
    }

    /** Waits, up to {@code timeout}, until every running member sees all the others and no partition is without its backups. */
    public void awaitSafe(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<HazelcastInstance> running = members();
            boolean sized = running.stream().allMatch(m -> m.getCluster().getMembers().size() == running.size());
            if (sized && running.stream().allMatch(m -> m.getPartitionService().isClusterSafe())) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("cluster " + clusterName + " not safe within " + timeout);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    @Override
    public void close() {
        List<HazelcastInstance> all = new ArrayList<>(clients);
        Collections.reverse(all);
        all.forEach(HazelcastInstance::shutdown);
        // Terminate rather than shut down: a test is over, so there is nothing to migrate.
        members.forEach(m -> m.getLifecycleService().terminate());
    }

    public static final class Builder {
        private int members = 1;
        private int spareSlots = 2;
        private String clusterName = "lattice-test-" + UUID.randomUUID().toString().substring(0, 8);
        private Function<MemberSlot, Config> configFactory = LocalCluster::defaultConfig;

        private Builder() {
        }

        public Builder members(int members) {
            if (members < 0) {
                throw new IllegalArgumentException("members must be >= 0, was " + members);
            }
            this.members = members;
            return this;
        }

        /** Extra ports kept free for members started later with {@link #startMember()}. */
        public Builder spareSlots(int spareSlots) {
            this.spareSlots = spareSlots;
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = Objects.requireNonNull(clusterName);
            return this;
        }

        /** Builds each member's config; the default is {@link LocalCluster#defaultConfig}. */
        public Builder configFactory(Function<MemberSlot, Config> configFactory) {
            this.configFactory = Objects.requireNonNull(configFactory);
            return this;
        }

        /** Keeps the default config and applies {@code customizer} on top. */
        public Builder customize(Consumer<Config> customizer) {
            return configFactory(slot -> {
                Config config = defaultConfig(slot);
                customizer.accept(config);
                return config;
            });
        }

        public LocalCluster start() {
            LocalCluster cluster = new LocalCluster(clusterName, FreePorts.distinct(members + spareSlots), configFactory);
            try {
                for (int i = 0; i < members; i++) {
                    cluster.startMember();
                }
                // Hazelcast assigns partitions at the first operation that needs them, and counts a
                // cluster without assignments as safe: a test's first write then raced the backups'
                // first partition table, and its backup acknowledgement could miss the client's 3 s
                // timeout (JCacheMBeansTest, once). Assign them now, so awaitSafe waits for the backups.
                cluster.member(0).getPartitionService().getPartitions().iterator().next().getOwner();
                cluster.awaitSafe(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
