package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.networking.nio.NioNetworking;
import com.hazelcast.internal.networking.nio.NioThread;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerConnectionManager;
import com.hazelcast.internal.server.tcp.TcpServer;
import dev.lattice.testsupport.LocalCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A real member connecting to a port whose kernel accepts the connection but whose process never
 * answers: what a paused member looks like to the others (SIGSTOP, a long GC). A listening socket
 * nobody accepts on is exactly that. The member's outbound I/O threads then spin (Hazelcast 5.7),
 * which the reaper must end by closing the connection.
 */
class SilentConnectionReaperTests {

    /** I/O tasks run per 500 ms above which an outbound thread is spinning; an idle member runs a handful. */
    private static final long SPINNING = 10_000;

    @Test
    void aConnectionToAPausedMember_makesHazelcastsOutboundThreadSpin() throws IOException {
        // The cause, shown without the reaper: this test documents Hazelcast's behaviour and fails
        // if a Hazelcast upgrade fixes it (then the reaper can go).
        try (LocalCluster cluster = LocalCluster.builder().members(1).configFactory(ClusterResilienceTests::latticeMember).start();
             ServerSocket paused = silentListener()) {
            HazelcastInstance member = cluster.member(0);
            ServerConnection connection = connect(member, paused);
            await().atMost(Duration.ofSeconds(10)).until(() -> outboundTasksIn(member, Duration.ofMillis(500)) > SPINNING);
            assertThat(connection.isAlive()).as("Hazelcast keeps the silent connection").isTrue();
        }
    }

    @Test
    void theReaper_closesTheSilentConnection_andTheSpinStops() throws IOException {
        try (LocalCluster cluster = LocalCluster.builder().members(1).configFactory(ClusterResilienceTests::latticeMember).start();
             ServerSocket paused = silentListener()) {
            HazelcastInstance member = cluster.member(0);
            SilentConnectionReaper reaper = new SilentConnectionReaper(member, Duration.ofSeconds(1));
            reaper.start();
            try {
                ServerConnection connection = connect(member, paused);
                await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isAlive());
                await().atMost(Duration.ofSeconds(10)).until(() -> outboundTasksIn(member, Duration.ofMillis(500)) < SPINNING / 10);
            } finally {
                reaper.stop();
            }
        }
    }

    @Test
    void theReaper_leavesConnectionsToLiveMembersAlone() {
        try (LocalCluster cluster = LocalCluster.builder().members(2).configFactory(ClusterResilienceTests::latticeMember).start()) {
            SilentConnectionReaper reaper = new SilentConnectionReaper(cluster.member(0), Duration.ofMillis(100));
            assertThat(connections(cluster.member(0)).getConnections()).isNotEmpty();
            assertThat(reaper.reap()).as("connections that have heard from their member").isZero();
            assertThat(connections(cluster.member(0)).getConnections()).allMatch(ServerConnection::isAlive);
        }
    }

    /** Accepts TCP connections in the kernel's backlog and never reads or writes: a stopped process. */
    private static ServerSocket silentListener() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private static ServerConnection connect(HazelcastInstance member, ServerSocket paused) throws IOException {
        Address address = new Address(InetAddress.getLoopbackAddress().getHostAddress(), paused.getLocalPort());
        ServerConnectionManager manager = connections(member);
        manager.getOrConnect(address);
        // Not registered under the address until the handshake, which never comes: find it by port.
        return await().atMost(Duration.ofSeconds(10)).until(() -> manager.getConnections().stream()
                .filter(c -> c.getRemoteSocketAddress() != null && c.getRemoteSocketAddress().getPort() == paused.getLocalPort())
                .findFirst().orElse(null), c -> c != null);
    }

    private static ServerConnectionManager connections(HazelcastInstance member) {
        return ((HazelcastInstanceProxy) member).getOriginal().node.getServer().getConnectionManager(EndpointQualifier.MEMBER);
    }

    /** Tasks the member's outbound I/O threads ran over {@code window}: a measurement window, not a wait. */
    private static long outboundTasksIn(HazelcastInstance member, Duration window) {
        NioThread[] threads = ((NioNetworking) ((TcpServer) ((HazelcastInstanceProxy) member).getOriginal().node.getServer())
                .getNetworking()).getOutputThreads();
        long before = Arrays.stream(threads).mapToLong(NioThread::completedTaskCount).sum();
        LockSupport.parkNanos(window.toNanos());
        return Arrays.stream(threads).mapToLong(NioThread::completedTaskCount).sum() - before;
    }
}
