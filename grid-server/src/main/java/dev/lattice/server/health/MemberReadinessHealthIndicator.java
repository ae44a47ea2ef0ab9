package dev.lattice.server.health;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Ready means this member can take its share of traffic without putting data at risk: it is
 * running, the cluster has at least {@code lattice.initial-min-cluster-size} members, the
 * cluster is {@code ACTIVE}, and every partition has its backups (the cluster is "safe").
 *
 * <p>Requiring a safe cluster is what makes rolling restarts safe: Kubernetes restarts the next
 * pod only once this one is ready, i.e. once the data the previous pod held is fully backed up
 * again. This indicator belongs to the readiness group only; liveness must not depend on it, or
 * a member would be killed while it migrates partitions during a graceful shutdown.
 */
final class MemberReadinessHealthIndicator extends AbstractHealthIndicator {

    private final HazelcastInstance member;
    private final int minClusterSize;

    MemberReadinessHealthIndicator(HazelcastInstance member, int minClusterSize) {
        super("Grid member readiness check failed");
        this.member = member;
        this.minClusterSize = minClusterSize;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!member.getLifecycleService().isRunning()) {
            builder.down().withDetail("reason", "member is not running");
            return;
        }
        int members = member.getCluster().getMembers().size();
        ClusterState state = member.getCluster().getClusterState();
        PartitionService partitions = member.getPartitionService();
        boolean clusterSafe = partitions.isClusterSafe();
        builder.withDetail("members", members)
                .withDetail("minClusterSize", minClusterSize)
                .withDetail("clusterState", state.name())
                .withDetail("clusterSafe", clusterSafe);
        if (members < minClusterSize) {
            builder.down().withDetail("reason", "waiting for " + minClusterSize + " members, have " + members);
        } else if (state != ClusterState.ACTIVE) {
            builder.down().withDetail("reason", "cluster state is " + state);
        } else if (!clusterSafe) {
            builder.down().withDetail("reason", "partitions are migrating or missing backups");
        } else {
            builder.up();
        }
    }
}
