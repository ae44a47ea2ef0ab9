package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import dev.lattice.client.LatticeClient;
import dev.lattice.server.config.LatticeProperties;
import dev.lattice.server.config.GridSettingsMapper;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.LocalCluster.MemberSlot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Three real members built from Lattice's own configuration, and a real client: losing a member,
 * abruptly or gracefully, loses no acknowledged entry.
 */
class ClusterResilienceTests {

    private static final Duration SAFE_WITHIN = Duration.ofSeconds(60);

    /** Lattice's member config for a test slot: defaults, except the test's ports and cluster name. */
    static Config latticeMember(MemberSlot slot) {
        return latticeMember(slot, properties -> { });
    }

    /** The same, with {@code customizer} applied to the properties first. */
    static Config latticeMember(MemberSlot slot, Consumer<LatticeProperties> customizer) {
        LatticeProperties properties = new LatticeProperties();
        properties.setClusterName(slot.clusterName());
        properties.getNetwork().setPort(slot.port());
        properties.getNetwork().setPortAutoIncrement(false);
        properties.getDiscovery().setMembers(slot.memberAddresses());
        customizer.accept(properties);
        return MemberConfigMapper.map(GridSettingsMapper.map(properties));
    }

    @Test
    void terminatingOneOfThreeMembers_losesNoEntry() {
        try (LocalCluster cluster = LocalCluster.builder().members(3).configFactory(ClusterResilienceTests::latticeMember).start()) {
            HazelcastInstance client = cluster.newClient();
            IMap<Integer, String> map = client.getMap("accounts");
            Map<Integer, String> batch = new HashMap<>();
            for (int i = 0; i < 10_000; i++) {
                batch.put(i, "value-" + i);
                if (batch.size() == 1_000) {
                    map.putAll(batch);
                    batch.clear();
                }
            }
            assertThat(cluster.member(1).getMap("accounts").getLocalMapStats().getOwnedEntryCount()).isPositive();

            cluster.terminate(1);
            cluster.awaitSafe(SAFE_WITHIN);

            assertThat(map.size()).isEqualTo(10_000);
            Map<Integer, String> all = map.getAll(new java.util.HashSet<>(batchKeys(10_000)));
            for (int i = 0; i < 10_000; i++) {
                assertThat(all.get(i)).as("entry %d", i).isEqualTo("value-" + i);
            }
        }
    }

    @Test
    void gracefulShutdownWhileAClientWrites_losesNothing_andFailsAtMostTheCallInFlight() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().members(3).configFactory(ClusterResilienceTests::latticeMember).start()) {
            // Lattice's client with its defaults (redo-operation off): a write in flight on the
            // leaving member's connection fails with TargetDisconnectedException, because it may or
            // may not have been applied. The application repeats it (a set is safe to repeat);
            // every other call must route to the partitions' new owners without an error.
            LatticeClient client = LatticeClient.builder().addresses(cluster.addresses()).clusterName(cluster.clusterName()).build();
            IMap<Integer, Integer> map = client.map("counters");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger acknowledged = new AtomicInteger();
            AtomicInteger inFlightFailures = new AtomicInteger();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                int key = 0;
                while (writing.get()) {
                    try {
                        map.set(key, key * 7);
                        acknowledged.set(++key);
                    } catch (TargetDisconnectedException e) {
                        inFlightFailures.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.add(e);
                        return;
                    }
                }
            });

            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= 2_000);
            cluster.shutdown(1);
            int atShutdown = acknowledged.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= atShutdown + 2_000 || !errors.isEmpty());
            writing.set(false);
            writer.get();

            assertThat(errors).as("errors other than the call in flight on the closed connection").isEmpty();
            // One writing thread has at most one call in flight when the connection closes.
            assertThat(inFlightFailures.get()).as("calls failed by the member leaving").isLessThanOrEqualTo(1);
            cluster.awaitSafe(SAFE_WITHIN);
            int written = acknowledged.get();
            client.close();
            IMap<Integer, Integer> check = cluster.newClient().getMap("counters");
            assertThat(check.size()).isEqualTo(written);
            Map<Integer, Integer> all = check.getAll(new java.util.HashSet<>(batchKeys(written)));
            for (int key = 0; key < written; key++) {
                assertThat(all.get(key)).as("key %d", key).isEqualTo(key * 7);
            }
        }
    }

    private static List<Integer> batchKeys(int count) {
        return java.util.stream.IntStream.range(0, count).boxed().toList();
    }
}
