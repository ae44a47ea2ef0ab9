package dev.lattice.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import dev.lattice.client.NearCacheOptions;
import dev.lattice.testsupport.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With a grid node's own configuration (invalidations batched, flushed every second), a near
 * cache stops serving a value another client changed within a few seconds. Hazelcast's default
 * flush interval is 10 s, so this bound fails if Lattice's setting does not reach the member.
 */
class NearCacheInvalidationTests {

    private static final Duration BOUND = Duration.ofSeconds(5);

    @Test
    void updateFromAnotherClient_reachesANearCacheWithinSeconds_onLatticeMembers() {
        try (LocalCluster cluster = LocalCluster.builder().members(2).configFactory(ClusterResilienceTests::latticeMember).start();
             LatticeClient reader = LatticeClient.builder().addresses(cluster.addresses()).clusterName(cluster.clusterName())
                     .nearCache("quotes", NearCacheOptions.defaults()).build();
             LatticeClient writer = LatticeClient.builder().addresses(cluster.addresses()).clusterName(cluster.clusterName()).build()) {
            IMap<String, String> cached = reader.map("quotes");
            writer.<String, String>map("quotes").put("EUR", "1.08");
            // The first reads of a fresh near cache may all miss until its invalidation metadata arrives.
            await().atMost(BOUND).until(() -> "1.08".equals(cached.get("EUR")) && reader.nearCacheStats("quotes").getHits() > 0);

            writer.<String, String>map("quotes").put("EUR", "1.09");

            await().atMost(BOUND).until(() -> "1.09".equals(cached.get("EUR")));
        }
    }
}
