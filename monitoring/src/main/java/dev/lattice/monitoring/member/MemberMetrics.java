package dev.lattice.monitoring.member;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.monitoring.map.MemberMapsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.Set;

/**
 * Every Lattice meter of a member in one binder: {@link ClusterMetrics}, {@link PartitionMetrics}
 * and {@link MemberMapsMetrics} (every map, as maps come and go). JVM, GC and process meters
 * are Micrometer's own binders, which a Spring Boot application registers by itself; the
 * loader's {@code lattice.mapstore.*} meters are registered by the loader.
 *
 * <pre>{@code
 * MemberMetrics metrics = MemberMetrics.monitor(registry, hazelcastInstance);
 * ...
 * metrics.close(); // removes its listeners
 * }</pre>
 */
public final class MemberMetrics implements MeterBinder, AutoCloseable {

    private final ClusterMetrics cluster;
    private final PartitionMetrics partitions;
    private final MemberMapsMetrics maps;

    public MemberMetrics(HazelcastInstance member, Iterable<Tag> tags) {
        Objects.requireNonNull(member, "member");
        this.cluster = new ClusterMetrics(member, tags);
        this.partitions = new PartitionMetrics(member, tags);
        this.maps = new MemberMapsMetrics(member, tags);
    }

    /** Binds every member meter to {@code registry}; {@code tags} are key/value pairs added to each. */
    public static MemberMetrics monitor(MeterRegistry registry, HazelcastInstance member, String... tags) {
        MemberMetrics metrics = new MemberMetrics(member, Tags.of(tags));
        metrics.bindTo(registry);
        return metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        cluster.bindTo(registry);
        partitions.bindTo(registry);
        maps.bindTo(registry);
    }

    /** The maps whose meters are bound now. */
    public Set<String> maps() {
        return maps.maps();
    }

    @Override
    public void close() {
        partitions.close();
        maps.close();
    }
}
