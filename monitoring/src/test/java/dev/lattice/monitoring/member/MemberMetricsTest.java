package dev.lattice.monitoring.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cluster and partition meters on real members. */
class MemberMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void twoMembers_reportClusterSizeActiveStateAndSafePartitions() {
        try (LocalCluster cluster = LocalCluster.builder().members(2).spareSlots(0).start()) {
            arrangePartitions(cluster);
            SimpleMeterRegistry first = bind(cluster.member(0));
            SimpleMeterRegistry second = bind(cluster.member(1));

            for (MeterRegistry registry : List.of(first, second)) {
                assertThat(gauge(registry, "lattice.cluster.members")).isEqualTo(2.0);
                assertThat(registry.get("lattice.cluster.state").tag("state", "active").gauge().value()).isEqualTo(1.0);
                assertThat(registry.get("lattice.cluster.state").tag("state", "frozen").gauge().value()).isZero();
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(registry.get("lattice.partitions.state").tag("state", "safe").gauge().value()).isEqualTo(1.0);
                    assertThat(registry.get("lattice.partitions.state").tag("state", "unsafe").gauge().value()).isZero();
                });
            }
            int partitionCount = cluster.member(0).getPartitionService().getPartitions().size();
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    gauge(first, "lattice.member.partitions") + gauge(second, "lattice.member.partitions"))
                    .isEqualTo(partitionCount));
            assertThat(gauge(first, "lattice.partition.remaining.migrations")).isZero();
        }
    }

    @Test
    void memberJoins_everyMemberCountsTheMigrationsAndTimesTheProcess() {
        try (LocalCluster cluster = LocalCluster.builder().members(1).spareSlots(1).start()) {
            SimpleMeterRegistry registry = bind(cluster.member(0));
            arrangePartitions(cluster);
            assertThat(counter(registry, "lattice.partition.planned.migrations")).isZero();

            HazelcastInstance joined = cluster.startMember();
            SimpleMeterRegistry joinedRegistry = bind(joined);
            cluster.awaitSafe(WAIT);

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(registry.get("lattice.partition.migration.duration").timer().count()).isGreaterThanOrEqualTo(1);
                assertThat(gauge(registry, "lattice.partition.remaining.migrations")).isZero();
            });
            double planned = counter(registry, "lattice.partition.planned.migrations");
            double completed = registry.get("lattice.partition.completed.migrations").tag("outcome", "success")
                    .functionCounter().count();
            assertThat(planned).isPositive();
            assertThat(completed).isPositive().isLessThanOrEqualTo(planned);
            assertThat(registry.get("lattice.partition.completed.migrations").tag("outcome", "failure")
                    .functionCounter().count()).isZero();
            assertThat(gauge(registry, "lattice.member.partitions")).isLessThan(
                    cluster.member(0).getPartitionService().getPartitions().size());
            // The joined member owns partitions now; it bound after the plan was made, so it may have seen part of it.
            assertThat(gauge(joinedRegistry, "lattice.member.partitions")).isPositive();
        }
    }

    @Test
    void everyMeter_hasDescriptionAndBaseUnit() {
        try (LocalCluster cluster = LocalCluster.builder().members(1).spareSlots(0).start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            MemberMetrics.monitor(registry, cluster.member(0), "app", "grid");

            assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
                Meter.Id id = meter.getId();
                assertThat(id.getName()).startsWith("lattice.");
                assertThat(id.getDescription()).as(id.getName()).isNotBlank();
                assertThat(id.getType() == Meter.Type.TIMER || id.getBaseUnit() != null).as(id.getName()).isTrue();
                assertThat(id.getTag("app")).isEqualTo("grid");
            });
        }
    }

    @Test
    void stoppedMember_gaugesReadNaN_andTheScrapeStillWorks() {
        try (LocalCluster cluster = LocalCluster.builder().members(1).spareSlots(0).start()) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MemberMetrics metrics = MemberMetrics.monitor(registry, cluster.member(0));
            cluster.member(0).getMap("orders").put("k", "v");
            await().atMost(WAIT).until(() -> metrics.maps().contains("orders"));
            assertThat(registry.scrape()).contains("lattice_cluster_members 1.0", "cache_puts_total{cache=\"orders\",map=\"orders\"} 1.0");

            cluster.shutdown(0);

            String scrape = registry.scrape();
            assertThat(scrape).contains("lattice_cluster_members NaN").doesNotContain("map=\"orders\"");
            assertThat(metrics.maps()).isEmpty();
        }
    }

    /** Hazelcast assigns partitions on first use; without that, a joining member migrates nothing. */
    private static void arrangePartitions(LocalCluster cluster) {
        cluster.member(0).getPartitionService().getPartitions().forEach(partition -> partition.getOwner());
        cluster.awaitSafe(WAIT);
    }

    private static SimpleMeterRegistry bind(HazelcastInstance member) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ClusterMetrics(member, List.of()).bindTo(registry);
        new PartitionMetrics(member, List.of()).bindTo(registry);
        return registry;
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }

    private static double counter(MeterRegistry registry, String name) {
        return registry.get(name).functionCounter().count();
    }

}
