package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Running the same node twice with the same settings forms one cluster: the second member
 * takes the next port by itself and finds the first through the default member list.
 */
class TwoNodesOnOneMachineTests {

    @Test
    void sameSettingsTwice_formOneTwoMemberCluster() {
        // The same arguments for both nodes, as if the jar were started twice. Only the base
        // port moves off 5701, which another process on this machine may hold.
        String[] sameArgs = {
            "--lattice.cluster-name=pair-" + UUID.randomUUID(),
            "--lattice.network.port=" + FreePorts.consecutive(3),
        };
        try (GridNode first = GridNode.start(sameArgs); GridNode second = GridNode.start(sameArgs)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(first.member().getCluster().getMembers()).hasSize(2);
                assertThat(second.member().getCluster().getMembers()).hasSize(2);
            });
            int firstPort = first.member().getCluster().getLocalMember().getAddress().getPort();
            assertThat(second.member().getCluster().getLocalMember().getAddress().getPort()).isEqualTo(firstPort + 1);
            first.member().getMap("greetings").put("hello", "world");
            assertThat(second.member().<String, String>getMap("greetings").get("hello")).isEqualTo("world");
        }
    }
}
