package dev.lattice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nearcache.NearCacheStats;
import dev.lattice.testsupport.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Near caches of a real client against a real member. */
class LatticeClientNearCacheTest {

    private static final Duration BOUND = Duration.ofSeconds(15);

    private static LocalCluster cluster;
    private static LatticeClient client;
    private static HazelcastInstance otherClient;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).start();
        client = LatticeClient.builder()
                .addresses(cluster.addresses())
                .clusterName(cluster.clusterName())
                .nearCache("prices", NearCacheOptions.defaults())
                .nearCache("rates", NearCacheOptions.defaults())
                .nearCache("short-lived-*", NearCacheOptions.builder().timeToLive(Duration.ofSeconds(1)).build())
                .nearCache("bounded", NearCacheOptions.builder().maxSize(2).build())
                .build();
        otherClient = cluster.newClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    @Test
    void secondRead_isNearCacheHit() {
        otherClient.getMap("prices").put("AAPL", "189.50");
        IMap<String, String> prices = client.map("prices");

        assertThat(prices.get("AAPL")).isEqualTo("189.50");
        NearCacheStats stats = client.nearCacheStats("prices");
        assertThat(stats.getMisses()).isEqualTo(1);
        awaitHeld("prices", prices, "AAPL");
        long hits = stats.getHits();

        assertThat(prices.get("AAPL")).isEqualTo("189.50");

        assertThat(stats.getHits()).isEqualTo(hits + 1);
    }

    @Test
    void updateFromAnotherClient_invalidatesWithinBound() {
        IMap<String, String> other = otherClient.getMap("rates");
        IMap<String, String> rates = client.map("rates");
        other.put("MSFT", "410.00");
        awaitHeld("rates", rates, "MSFT");
        long invalidations = client.nearCacheStats("rates").getInvalidations();

        other.put("MSFT", "415.25");

        await().atMost(BOUND).untilAsserted(() ->
                assertThat(client.nearCacheStats("rates").getInvalidations()).isGreaterThan(invalidations));
        assertThat(rates.get("MSFT")).isEqualTo("415.25");
    }

    @Test
    void timeToLive_fromPattern_expiresEntry() {
        otherClient.getMap("short-lived-quotes").put("k", "v");
        IMap<String, String> quotes = client.map("short-lived-quotes");
        awaitHeld("short-lived-quotes", quotes, "k");

        // Hazelcast drops an expired entry when it is read (or by its periodic sweep): keep reading.
        await().atMost(BOUND).untilAsserted(() -> {
            quotes.get("k");
            assertThat(client.nearCacheStats("short-lived-quotes").getExpirations()).isPositive();
        });
    }

    @Test
    void maxSize_evictsBeyondIt() {
        IMap<Integer, String> other = otherClient.getMap("bounded");
        IMap<Integer, String> bounded = client.map("bounded");
        for (int i = 0; i < 5; i++) {
            other.put(i, "v" + i);
        }

        await().atMost(BOUND).untilAsserted(() -> {
            for (int i = 0; i < 5; i++) {
                bounded.get(i);
            }
            assertThat(client.nearCacheStats("bounded").getEvictions()).isPositive();
        });
        assertThat(client.nearCacheStats("bounded").getOwnedEntryCount()).isLessThanOrEqualTo(2);
    }

    @Test
    void restartedClient_preloadsKeysSavedByThePreviousOne(@TempDir Path directory) {
        NearCacheOptions preloading = NearCacheOptions.builder()
                .preload(true)
                .preloadDirectory(directory.toString())
                .preloadStoreInitialDelay(Duration.ofSeconds(1))
                .preloadStoreInterval(Duration.ofSeconds(1))
                .build();
        IMap<String, String> other = otherClient.getMap("catalog");
        other.put("sku-1", "lamp");
        other.put("sku-2", "desk");
        try (LatticeClient first = connect("catalog", preloading)) {
            IMap<String, String> catalog = first.map("catalog");
            await().atMost(BOUND).untilAsserted(() -> {
                catalog.get("sku-1");
                catalog.get("sku-2");
                assertThat(first.nearCacheStats("catalog").getOwnedEntryCount()).isEqualTo(2);
            });
            await().atMost(BOUND).untilAsserted(() ->
                    assertThat(first.nearCacheStats("catalog").getLastPersistenceKeyCount()).isEqualTo(2));
        }

        try (LatticeClient second = connect("catalog", preloading)) {
            second.map("catalog"); // the preloader starts when the map proxy is first made

            await().atMost(BOUND).untilAsserted(() ->
                    assertThat(second.nearCacheStats("catalog").getOwnedEntryCount()).isEqualTo(2));
            // The preloader's own fetches count as misses; the application's first read is a hit.
            long hits = second.nearCacheStats("catalog").getHits();
            assertThat(second.<String, String>map("catalog").get("sku-1")).isEqualTo("lamp");
            assertThat(second.nearCacheStats("catalog").getHits()).isEqualTo(hits + 1);
        }
    }

    private static LatticeClient connect(String mapName, NearCacheOptions options) {
        return LatticeClient.builder()
                .addresses(cluster.addresses())
                .clusterName(cluster.clusterName())
                .nearCache(mapName, options)
                .build();
    }

    @Test
    void nearCacheStats_mapWithoutNearCache_failsNamingMap() {
        assertThatIllegalArgumentException().isThrownBy(() -> client.nearCacheStats("plain"))
                .withMessageStartingWith("map 'plain' has no near cache on this client");
    }

    /** A client keeps a read once its invalidation metadata has arrived; until then reads may all miss. */
    private static void awaitHeld(String mapName, IMap<?, ?> map, Object key) {
        await().atMost(BOUND).untilAsserted(() -> {
            map.get(key);
            assertThat(client.nearCacheStats(mapName).getOwnedEntryCount()).isPositive();
        });
    }
}
