package dev.lattice.server.member;

import com.hazelcast.core.HazelcastInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Shuts the member down gracefully as the very first step of closing the application, while
 * the web server still answers probes.
 *
 * <p>Left to Spring Boot, the member would stop only when its bean is destroyed, after the web
 * server has stopped: Kubernetes would then see the liveness probe fail mid-migration and kill
 * the pod (the community chart's bug, hazelcast/charts#83). Stopping in the highest phase means
 * readiness is already down (Spring sets it on the close event), liveness stays up, and the
 * partitions finish migrating before anything else stops.
 */
final class GracefulMemberShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulMemberShutdown.class);

    private final HazelcastInstance member;
    private volatile boolean running;

    GracefulMemberShutdown(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!member.getLifecycleService().isRunning()) {
            return;
        }
        long started = System.nanoTime();
        log.info("Shutting down grid member {} gracefully: migrating its partitions to the other members", member.getName());
        // Blocks until migration completes or hazelcast.graceful.shutdown.max.wait (lattice.shutdown.timeout) passes.
        member.shutdown();
        log.info("Grid member {} left the cluster after {} ms", member.getName(), (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop first: phases stop from the highest down, and the web server's phases are lower. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
