package dev.lattice.server.member;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.tcp.TcpServerConnection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes member connections on which the other side has sent nothing for a while after they
 * opened.
 *
 * <p>Why: a paused member process (a long GC, SIGSTOP) still has a kernel that completes TCP
 * handshakes, so the others can open connections to it that never see its protocol header. In
 * Hazelcast 5.7 such a connection's encoder (UnifiedProtocolEncoder) reports CLEAN without taking
 * the frames queued on it, and the outbound pipeline, finding frames left, puts itself back on its
 * I/O thread's task queue at once: the thread spins at full CPU and never returns to its selector,
 * so the other connections it serves stall. Fault runs with a frozen master showed exactly this on
 * the survivors (thread dumps: the loop through NioOutboundPipeline.postProcessClean), then missed
 * heartbeats between the survivors, a 10 s mastership claim, a split and stalls of 14-19 s.
 * Closing the connection ends the loop; a member that answers reconnects at its next frame.
 *
 * <p>grid-server's one use of Hazelcast internals (the connection list). SilentConnectionReaperTests
 * reproduces the spin on a real member, so an upgrade that fixes or changes it shows there.
 */
final class SilentConnectionReaper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SilentConnectionReaper.class);

    private final HazelcastInstance member;
    private final long silenceMillis;
    private volatile ScheduledExecutorService scheduler;

    SilentConnectionReaper(HazelcastInstance member, Duration silence) {
        this.member = member;
        this.silenceMillis = silence.toMillis();
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lattice-silent-connection-reaper");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, silenceMillis / 4);
        executor.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
        scheduler = executor;
    }

    /** Closes the silent connections; returns how many. */
    int reap() {
        if (!member.getLifecycleService().isRunning()) {
            return 0;
        }
        int closed = 0;
        long now = System.currentTimeMillis();
        for (ServerConnection connection : node().getServer().getConnectionManager(EndpointQualifier.MEMBER).getConnections()) {
            if (connection instanceof TcpServerConnection tcp && tcp.isAlive() && tcp.lastReadTimeMillis() <= 0
                    && now - tcp.getStartTime() >= silenceMillis) {
                log.warn("Closing the connection to {} ({}): nothing received from it in {} ms since it opened;"
                        + " the member there is paused or hung", tcp.getRemoteSocketAddress(),
                        tcp.isAcceptorSide() ? "it connected to us" : "we connected to it", now - tcp.getStartTime());
                tcp.close("nothing received in " + silenceMillis + " ms since the connection opened", null);
                closed++;
            }
        }
        return closed;
    }

    private Node node() {
        HazelcastInstanceImpl impl = member instanceof HazelcastInstanceProxy proxy ? proxy.getOriginal()
                : (HazelcastInstanceImpl) member;
        return impl.node;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = scheduler;
        scheduler = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
