package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.splitbrainprotection.impl.RecentlyActiveSplitBrainProtectionFunction;
import dev.lattice.server.config.DiscoveryMode;
import dev.lattice.server.config.GridSettingsMapper;
import dev.lattice.server.config.InvalidSettingsException;
import dev.lattice.server.config.LatticeProperties;
import dev.lattice.server.config.MapProperties;
import dev.lattice.server.merge.LostPartitions;
import dev.lattice.server.merge.MajorityMergePolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** What the typed settings turn into, and how they combine with a plain Hazelcast file. */
class MemberConfigMapperTests {

    @Test
    void hazelcastFile_staysUsableForWhatTypedSettingsDoNotCover() {
        LatticeProperties properties = new LatticeProperties();
        properties.setConfigFile(new ClassPathResource("hazelcast/legacy.yaml"));
        MapProperties orders = new MapProperties();
        orders.setBackupCount(1);
        properties.getMaps().put("orders", orders);

        Config config = map(properties);

        assertThat(config.getQueueConfig("jobs").getMaxSize()).isEqualTo(500);
        assertThat(config.getMapConfig("legacy").getBackupCount()).isEqualTo(3);
        assertThat(config.getMapConfig("legacy").getTimeToLiveSeconds()).isEqualTo(60);
        // Typed settings win where both speak...
        assertThat(config.getClusterName()).isEqualTo("lattice");
        assertThat(config.getMapConfig("orders").getBackupCount()).isEqualTo(1);
        // ...and a key nobody typed keeps the file's value.
        assertThat(config.getMapConfig("orders").isReadBackupData()).isTrue();
    }

    @Test
    void merges_keepTheBiggerSidesDeletions_onEveryMapWhoseFileNamesNoPolicy() {
        LatticeProperties properties = new LatticeProperties();
        properties.setConfigFile(new ClassPathResource("hazelcast/legacy.yaml"));
        properties.getMaps().put("sessions", new MapProperties());
        properties.getSplitBrainProtection().setMinimumClusterSize(2);

        Config config = map(properties);

        for (String name : List.of("default", "sessions", "orders", "legacy", "any-other")) {
            assertThat(config.getMapConfig(name).getMergePolicyConfig().getPolicy()).as(name).isEqualTo(MajorityMergePolicy.class.getName());
        }
        assertThat(config.getMapConfig("audit").getMergePolicyConfig().getPolicy()).isEqualTo("LatestUpdateMergePolicy");
        // The policy's marks: as many copies as the most-backed map (the file's legacy map), and the
        // merging side's own marks discarded.
        MapConfig marks = config.getMapConfigs().get(LostPartitions.MAP);
        assertThat(marks.getBackupCount()).isEqualTo(3);
        assertThat(marks.getMergePolicyConfig().getPolicy()).isEqualTo(DiscardMergePolicy.class.getName());
        assertThat(marks.getSplitBrainProtectionName()).as("a side below the minimum cluster size marks its losses too").isNull();
        assertThat(config.getMapConfig("orders").getSplitBrainProtectionName()).isEqualTo(MemberConfigMapper.SPLIT_BRAIN_PROTECTION);
        assertThat(config.getListenerConfigs()).anyMatch(listener -> listener.getImplementation() instanceof LostPartitions);
    }

    @Test
    void splitBrainProtection_countsMembersHeardFromWithinHalfMaxNoHeartbeat() {
        LatticeProperties properties = new LatticeProperties();
        properties.getSplitBrainProtection().setMinimumClusterSize(2);
        properties.getFailureDetection().setMaxNoHeartbeat(Duration.ofSeconds(10));

        SplitBrainProtectionConfig protection = map(properties).getSplitBrainProtectionConfig(MemberConfigMapper.SPLIT_BRAIN_PROTECTION);

        assertThat(protection.getMinimumClusterSize()).isEqualTo(2);
        assertThat(protection.getFunctionImplementation()).isInstanceOfSatisfying(RecentlyActiveSplitBrainProtectionFunction.class,
                function -> assertThat(function.getHeartbeatToleranceMillis()).isEqualTo(5_000));
    }

    @Test
    void splitBrainProtection_countsAtLeastTwoHeartbeatIntervals_whenHalfMaxNoHeartbeatIsLess() {
        LatticeProperties properties = new LatticeProperties();
        properties.getSplitBrainProtection().setMinimumClusterSize(2);
        properties.getFailureDetection().setHeartbeatInterval(Duration.ofSeconds(5));
        properties.getFailureDetection().setMaxNoHeartbeat(Duration.ofSeconds(12));

        SplitBrainProtectionConfig protection = map(properties).getSplitBrainProtectionConfig(MemberConfigMapper.SPLIT_BRAIN_PROTECTION);

        assertThat(protection.getFunctionImplementation()).isInstanceOfSatisfying(RecentlyActiveSplitBrainProtectionFunction.class,
                function -> assertThat(function.getHeartbeatToleranceMillis()).isEqualTo(10_000));
    }

    @Test
    void missingHazelcastFile_failsNamingTheProperty() {
        LatticeProperties properties = new LatticeProperties();
        properties.setConfigFile(new ClassPathResource("hazelcast/missing.yaml"));

        assertThatThrownBy(() -> map(properties)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("for lattice.config-file").hasMessageContaining("missing.yaml");
    }

    @Test
    void typedMapSettings_reachTheMapConfig() {
        LatticeProperties properties = new LatticeProperties();
        MapProperties sessions = new MapProperties();
        sessions.setBackupCount(2);
        sessions.setAsyncBackupCount(1);
        sessions.setTimeToLive(Duration.ofMinutes(30));
        sessions.setMaxIdle(Duration.ofMinutes(5));
        sessions.setInMemoryFormat(InMemoryFormat.OBJECT);
        sessions.setReadBackupData(true);
        sessions.getEviction().setPolicy(EvictionPolicy.LRU);
        sessions.getEviction().setSize(10_000);
        properties.getMaps().put("sessions", sessions);

        MapConfig map = map(properties).getMapConfig("sessions");

        assertThat(map.getBackupCount()).isEqualTo(2);
        assertThat(map.getAsyncBackupCount()).isEqualTo(1);
        assertThat(map.getTimeToLiveSeconds()).isEqualTo(1800);
        assertThat(map.getMaxIdleSeconds()).isEqualTo(300);
        assertThat(map.getInMemoryFormat()).isEqualTo(InMemoryFormat.OBJECT);
        assertThat(map.isReadBackupData()).isTrue();
        assertThat(map.getEvictionConfig().getEvictionPolicy()).isEqualTo(EvictionPolicy.LRU);
        assertThat(map.getEvictionConfig().getSize()).isEqualTo(10_000);
    }

    @Test
    void kubernetesDiscovery_usesDnsAndDisablesTcpIp() {
        LatticeProperties properties = new LatticeProperties();
        properties.getDiscovery().setMode(DiscoveryMode.KUBERNETES);
        properties.getDiscovery().setServiceDns("lattice.grid.svc.cluster.local");
        properties.getNetwork().setInterfaces(List.of("10.*.*.*"));
        properties.getNetwork().setBindAny(true);

        Config config = map(properties);

        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getJoin().getKubernetesConfig().isEnabled()).isTrue();
        assertThat(config.getNetworkConfig().getJoin().getKubernetesConfig().getProperty("service-dns"))
                .isEqualTo("lattice.grid.svc.cluster.local");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("true");
    }

    @Test
    void kubernetesApiMode_readsTheServicesEndpoints_includingPodsNotReadyYet() {
        LatticeProperties properties = new LatticeProperties();
        properties.getDiscovery().setMode(DiscoveryMode.KUBERNETES);
        properties.getDiscovery().setServiceName("grid-lattice");
        properties.getDiscovery().setNamespace("data");
        properties.getNetwork().setInterfaces(List.of("10.*.*.*"));

        Config config = map(properties);

        var kubernetes = config.getNetworkConfig().getJoin().getKubernetesConfig();
        assertThat(kubernetes.isEnabled()).isTrue();
        assertThat(kubernetes.getProperty("service-name")).isEqualTo("grid-lattice");
        assertThat(kubernetes.getProperty("namespace")).isEqualTo("data");
        assertThat(kubernetes.getProperty("resolve-not-ready-addresses")).isEqualTo("true");
        assertThat(kubernetes.getProperty("service-dns")).isNull();
        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isFalse();
    }

    private static Config map(LatticeProperties properties) {
        return MemberConfigMapper.map(GridSettingsMapper.map(properties));
    }
}
