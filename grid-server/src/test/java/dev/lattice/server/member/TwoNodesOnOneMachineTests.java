package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running the same node twice with the same settings forms one cluster: the second member
 * takes the next port by itself, finds the first through the default member list, and shares
 * the embedded database the first one started, so the persisted map {@code records} works on both.
 */
class TwoNodesOnOneMachineTests {

    @Test
    void sameSettingsTwice_formOneTwoMemberCluster_sharingTheEmbeddedDatabase(@TempDir Path workDir) throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        // The same arguments for both nodes, as if the jar were started twice from one directory.
        // Only the base port moves off 5701, which another process on this machine may hold.
        String[] sameArgs = {
            "--lattice.cluster-name=pair-" + UUID.randomUUID(),
            "--lattice.network.port=" + FreePorts.consecutive(3),
            "--lattice.datasource.embedded.data-dir=" + dataDir,
        };
        try (GridNode first = GridNode.start(sameArgs); GridNode second = GridNode.start(sameArgs)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(first.member().getCluster().getMembers()).hasSize(2);
                assertThat(second.member().getCluster().getMembers()).hasSize(2);
                // Partitions migrate to the second node as it joins; a write whose backup is caught in
                // a migration fails as indeterminate (by design, after the 3 s backup timeout; CI saw
                // one on a loaded machine). An application would retry it; this test waits instead.
                assertThat(first.member().getPartitionService().isClusterSafe()).as("migrations done").isTrue();
            });
            int firstPort = first.member().getCluster().getLocalMember().getAddress().getPort();
            assertThat(second.member().getCluster().getLocalMember().getAddress().getPort()).isEqualTo(firstPort + 1);
            first.member().getMap("greetings").put("hello", "world");
            assertThat(second.member().<String, String>getMap("greetings").get("hello")).isEqualTo("world");

            for (int i = 0; i < 200; i++) {
                (i % 2 == 0 ? first : second).member().<String, String>getMap("records").set("key-" + i, "value-" + i);
            }
            int port = Integer.parseInt(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(3).trim());
            String password = Files.readString(dataDir.resolve(".lattice-password")).trim();
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(port, password) == 200);
        }
        assertThat(dataDir.resolve("postmaster.pid")).as("the last node stopped the shared database").doesNotExist();
    }

    /** Counted as the nodes' role, with the password the first node generated into the data directory. */
    private static int rows(int port, String password) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "lattice",
                password);
             ResultSet rs = connection.createStatement().executeQuery("SELECT count(*) FROM records")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
