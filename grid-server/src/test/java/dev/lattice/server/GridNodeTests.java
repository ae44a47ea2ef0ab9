package dev.lattice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import dev.lattice.testsupport.FreePorts;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One real grid node: probes, actuator security and the hardening of its member. */
class GridNodeTests {

    private static GridNode node;

    @BeforeAll
    static void startNode() {
        node = GridNode.start(
                "--lattice.cluster-name=node-" + UUID.randomUUID(),
                "--lattice.network.port=" + FreePorts.one(),
                "--lattice.network.port-auto-increment=false",
                // Not Hazelcast's default of 1, so the test below can tell the setting was applied.
                "--lattice.maps.default.backup-count=2",
                "--management.endpoints.web.exposure.include=*",
                "--lattice.admin.user=operator",
                "--lattice.admin.password=s3cret");
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void readinessAndLiveness_areUpOnceTheMemberRuns() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(node.get("/actuator/health/readiness").statusCode()).isEqualTo(200));
        HttpResponse<String> liveness = node.get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"UP\"");
    }

    @Test
    void readiness_goesDownWhileTheClusterIsNotActive_andLivenessStaysUp() {
        node.member().getCluster().changeClusterState(ClusterState.FROZEN);
        try {
            HttpResponse<String> readiness = node.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).contains("cluster state is FROZEN");
            assertThat(node.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        } finally {
            node.member().getCluster().changeClusterState(ClusterState.ACTIVE);
        }
        assertThat(node.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void healthInfoAndPrometheus_needNoCredentials() {
        assertThat(node.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(node.get("/actuator/info").statusCode()).isEqualTo(200);
        HttpResponse<String> scrape = node.get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void everyOtherEndpoint_needsCredentials_evenWhenExposed() {
        assertThat(node.get("/actuator/env").statusCode()).isEqualTo(401);
        assertThat(node.get("/actuator/loggers").statusCode()).isEqualTo(401);
        assertThat(node.get("/actuator/env", "operator", "wrong").statusCode()).isEqualTo(401);
        assertThat(node.get("/actuator/env", "operator", "s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void memberAndHttpPorts_refuseConnectionsOnEveryAddressButLoopback() throws Exception {
        List<InetAddress> external = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).toList();
        assumeTrue(!external.isEmpty(), "this machine has no non-loopback IPv4 address to try");
        int memberPort = node.member().getCluster().getLocalMember().getAddress().getPort();
        for (InetAddress address : external) {
            for (int port : new int[] {memberPort, node.httpPort()}) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 2_000);
                    }
                }).as("connecting to %s:%d", address.getHostAddress(), port).isInstanceOf(IOException.class);
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", memberPort), 2_000);
            assertThat(socket.isConnected()).as("loopback does accept").isTrue();
        }
    }

    @Test
    void member_bindsToLoopbackOnly_withNothingExtraExposed() {
        Config config = node.member().getConfig();
        NetworkConfig network = config.getNetworkConfig();
        assertThat(node.member().getCluster().getLocalMember().getAddress().getHost()).isEqualTo("127.0.0.1");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
        assertThat(network.getJoin().getMulticastConfig().isEnabled()).isFalse();
        assertThat(network.getRestApiConfig().isEnabled()).isFalse();
        assertThat(network.getMemcacheProtocolConfig().isEnabled()).isFalse();
        assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("6");
        assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    }

    @Test
    void defaultMap_getsTheConfiguredBackupCount() {
        assertThat(node.member().getConfig().findMapConfig("anything").getBackupCount()).isEqualTo(2);
    }
}
