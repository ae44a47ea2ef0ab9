package dev.lattice.tck;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/**
 * A member configured exactly as a grid node configures its own (grid-server's
 * {@code GridSettingsMapper} and {@code MemberConfigMapper} on {@code LatticeProperties}), started in
 * the TCK's JVM. Only the Spring Boot shell around it (HTTP probes, persistence) is left out: the member-side TCK tests
 * the member.
 *
 * <p>Reflection because grid-server's Maven artifact is its executable jar, whose classes sit
 * under {@code BOOT-INF/}: the member run puts {@code grid-server/target/classes} on the test
 * class path instead (jcache-tck/pom.xml), which the compiler does not see.
 */
final class InJvmGridNode {

    private static HazelcastInstance member;

    private InJvmGridNode() {
    }

    static synchronized HazelcastInstance member() {
        if (member == null || !member.getLifecycleService().isRunning()) {
            member = start();
        }
        return member;
    }

    private static HazelcastInstance start() {
        TckNode settings = new TckNode();
        try {
            Object properties = Class.forName("dev.lattice.server.config.LatticeProperties").getConstructor().newInstance();
            properties.getClass().getMethod("setClusterName", String.class).invoke(properties, settings.clusterName);
            Object network = properties.getClass().getMethod("getNetwork").invoke(properties);
            network.getClass().getMethod("setPort", int.class).invoke(network, settings.memberPort);
            network.getClass().getMethod("setPortAutoIncrement", boolean.class).invoke(network, false);
            Object discovery = properties.getClass().getMethod("getDiscovery").invoke(properties);
            discovery.getClass().getMethod("setMembers", List.class).invoke(discovery, List.of(settings.memberAddress()));
            Object gridSettings = Class.forName("dev.lattice.server.config.GridSettingsMapper")
                    .getMethod("map", properties.getClass()).invoke(null, properties);
            Config config = (Config) Class.forName("dev.lattice.server.member.MemberConfigMapper")
                    .getMethod("map", gridSettings.getClass()).invoke(null, gridSettings);
            return Hazelcast.newHazelcastInstance(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot configure the member as a grid node does; is grid-server/target/classes "
                    + "on the class path?", e);
        }
    }
}
