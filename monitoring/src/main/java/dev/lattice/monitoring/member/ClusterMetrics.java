package dev.lattice.monitoring.member;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * What one member knows about its cluster.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Base unit</th></tr>
 *   <tr><td>{@code lattice.cluster.members}</td><td>gauge</td><td>members</td></tr>
 *   <tr><td>{@code lattice.cluster.state} ({@code state=active|no_migration|frozen|passive|in_transition})</td><td>gauge, 1 for the current state</td><td>state</td></tr>
 * </table>
 *
 * <p>Every member reports the cluster's size and state, so a query that wants one number per
 * cluster takes the {@code max}; a smaller number on one member than on the others means that
 * member sees a different cluster (a split brain).
 *
 * <p>After the member stops, every gauge reads NaN ("unknown"), not 0: a stopped member knows no
 * cluster, and 0 members would read as a real measurement.
 */
public final class ClusterMetrics implements MeterBinder {

    private static final String STATE = "state";

    private final HazelcastInstance member;
    private final Tags tags;

    /**
     * @param member a running member (not a client)
     * @param tags   extra tags for every meter
     */
    public ClusterMetrics(HazelcastInstance member, Iterable<Tag> tags) {
        this.member = Objects.requireNonNull(member, "member");
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "lattice.cluster.members", "Members in the cluster as this member sees it", "members",
                m -> m.getCluster().getMembers().size(), tags);
        for (ClusterState state : ClusterState.values()) {
            gauge(registry, "lattice.cluster.state", "1 for the cluster state this member is in, 0 for the others",
                    STATE, m -> m.getCluster().getClusterState() == state ? 1 : 0,
                    tags.and(STATE, state.name().toLowerCase(Locale.ROOT)));
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToDoubleFunction<HazelcastInstance> value, Tags meterTags) {
        Gauge.builder(name, member, m -> m.getLifecycleService().isRunning() ? value.applyAsDouble(m) : Double.NaN)
                .description(description)
                .baseUnit(unit)
                .tags(meterTags)
                .register(registry);
    }
}
