package dev.lattice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.client.map.impl.nearcache.NearCachedClientMapProxy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.nearcache.NearCache;
import com.hazelcast.internal.nearcache.NearCacheRecord;
import com.hazelcast.internal.nearcache.impl.DefaultNearCache;
import com.hazelcast.internal.nearcache.impl.invalidation.MetaDataContainer;
import com.hazelcast.internal.nearcache.impl.invalidation.RepairingHandler;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import dev.lattice.testsupport.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The near-cache front ({@link NearCacheOptions.Builder#front}) of a real client against a real
 * member: hits come from the front, and every way Hazelcast invalidates an entry reaches it.
 */
class NearCacheFrontTest {

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
                .nearCache("fronted-*", NearCacheOptions.builder().inMemoryFormat(InMemoryFormat.OBJECT).front(true).build())
                .nearCache("plain", NearCacheOptions.builder().inMemoryFormat(InMemoryFormat.OBJECT).build())
                .nearCache("binary-fronted-*", NearCacheOptions.builder().front(true).build())
                .nearCache("small-fronted", NearCacheOptions.builder().inMemoryFormat(InMemoryFormat.OBJECT).maxSize(50)
                        .front(true).build())
                .build();
        otherClient = cluster.newClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    @Test
    void repeatedRead_isServedByTheFront_andCountsAsHit() {
        // Written through this client: its own writes invalidate at once, and the cluster's event
        // for them is ignored, so no late invalidation can empty the front during the reads.
        IMap<String, String> map = client.map("fronted-hits");
        map.set("k", new StringBuilder("v1").toString());
        String first = map.get("k");
        long hits = client.nearCacheStats("fronted-hits").getHits();

        String second = map.get("k");
        String third = map.get("k");

        assertThat(second).isEqualTo("v1").isSameAs(first).isSameAs(third);
        // Answered before Hazelcast's proxy code (which would pass the value through toObject twice).
        assertThat((Object) map).isInstanceOf(FrontedMapProxy.class);
        assertThat(client.nearCacheStats("fronted-hits").getHits()).isEqualTo(hits + 2);
        assertThat(front("fronted-hits").frontSize()).isEqualTo(1);
        // Hazelcast's own path counts every hit on the record; front hits leave it untouched.
        assertThat(storeRecord("fronted-hits", "k").getHits()).isZero();
    }

    @Test
    void binaryFront_sharesAnImmutableValue() {
        IMap<String, String> map = client.map("binary-fronted-strings");
        map.set("k", "v1");
        map.get("k");
        long hits = client.nearCacheStats("binary-fronted-strings").getHits();

        String second = map.get("k");
        String third = map.get("k");

        assertThat(second).isEqualTo("v1").isSameAs(third);
        assertThat(client.nearCacheStats("binary-fronted-strings").getHits()).isEqualTo(hits + 2);
        assertThat(storeRecord("binary-fronted-strings", "k").getHits()).isZero();
    }

    @Test
    void binaryFront_handsEachReaderItsOwnCopyOfAMutableValue() {
        IMap<String, ArrayList<String>> map = client.map("binary-fronted-lists");
        map.set("k", new ArrayList<>(List.of("a")));
        map.get("k");
        long hits = client.nearCacheStats("binary-fronted-lists").getHits();

        ArrayList<String> first = map.get("k");
        first.add("changed by a reader");
        ArrayList<String> second = map.get("k");

        assertThat(second).containsExactly("a").isNotSameAs(first);
        assertThat(client.nearCacheStats("binary-fronted-lists").getHits()).isEqualTo(hits + 2);
        assertThat(front("binary-fronted-lists").frontSize()).isEqualTo(1);
    }

    @Test
    void plainNearCache_hasNoFront() {
        client.map("plain").set("k", "v");
        client.map("plain").get("k");
        client.map("plain").get("k");

        assertThat(nearCache("plain")).isInstanceOf(DefaultNearCache.class);
        assertThat((Object) client.map("plain")).isInstanceOf(NearCachedClientMapProxy.class).isNotInstanceOf(FrontedMapProxy.class);
        assertThat(storeRecord("plain", "k").getHits()).isEqualTo(1);
    }

    /** An OBJECT and a BINARY front. */
    @ParameterizedTest
    @ValueSource(strings = {"fronted-remote", "binary-fronted-remote"})
    void changeByAnotherClient_reachesTheFront(String name) {
        IMap<String, String> other = otherClient.getMap(name);
        IMap<String, String> map = frontedWithV1(name);

        other.set("k", "v2");

        await().atMost(BOUND).untilAsserted(() -> assertThat(map.get("k")).isEqualTo("v2"));
    }

    @Test
    void ownWrite_isReadBackAtOnce() {
        IMap<String, String> map = frontedWithV1("fronted-own");

        map.set("k", "v2");
        assertThat(map.get("k")).isEqualTo("v2");
        map.delete("k");
        assertThat(map.get("k")).isNull();
    }

    @Test
    void clearByAnotherClient_emptiesTheFront() {
        IMap<String, String> other = otherClient.getMap("fronted-clear");
        IMap<String, String> map = frontedWithV1("fronted-clear");

        other.clear();

        await().atMost(BOUND).untilAsserted(() -> assertThat(map.get("k")).isNull());
    }

    @Test
    void entryTheRepairingTaskMarksStale_isNotServedByTheFront() {
        IMap<String, String> map = frontedWithV1("fronted-stale");
        long misses = client.nearCacheStats("fronted-stale").getMisses();

        // What Hazelcast's repairing task does when it finds invalidations this client never got.
        RepairingHandler handler = repairingHandler("fronted-stale");
        int partition = storeRecord("fronted-stale", "k").getPartitionId();
        MetaDataContainer metaData = handler.getMetaDataContainer(partition);
        handler.checkOrRepairSequence(partition, metaData.getSequence() + 5, true);
        handler.updateLastKnownStaleSequence(metaData, partition);

        assertThat(map.get("k")).isEqualTo("v1");
        assertThat(client.nearCacheStats("fronted-stale").getMisses()).isEqualTo(misses + 1);
    }

    @Test
    void entryWhosePartitionUuidChanged_isNotServedByTheFront() {
        IMap<String, String> map = frontedWithV1("fronted-new-uuid");
        long misses = client.nearCacheStats("fronted-new-uuid").getMisses();

        // What the repairing task does when a partition's owner restarted with new invalidation metadata.
        RepairingHandler handler = repairingHandler("fronted-new-uuid");
        int partition = storeRecord("fronted-new-uuid", "k").getPartitionId();
        handler.checkOrRepairUuid(partition, UUID.randomUUID());

        assertThat(map.get("k")).isEqualTo("v1");
        assertThat(client.nearCacheStats("fronted-new-uuid").getMisses()).isEqualTo(misses + 1);
    }

    /** The front compares UUID instances first; an equal UUID in a new instance must still match. */
    @Test
    void entryWhosePartitionUuidIsSetAgainAsAnEqualInstance_isStillServedByTheFront() {
        IMap<String, String> map = frontedWithV1("fronted-same-uuid");
        long misses = client.nearCacheStats("fronted-same-uuid").getMisses();
        // A read the front turns away goes to Hazelcast's store, which would answer it, and is admitted again.
        AtomicInteger admitted = new AtomicInteger();
        front("fronted-same-uuid").beforeAdmit(key -> admitted.incrementAndGet());

        // What the metadata fetcher does on start: it sets the UUID it fetched, equal, in an instance of its own.
        RepairingHandler handler = repairingHandler("fronted-same-uuid");
        int partition = storeRecord("fronted-same-uuid", "k").getPartitionId();
        UUID current = handler.getMetaDataContainer(partition).getUuid();
        UUID copy = new UUID(current.getMostSignificantBits(), current.getLeastSignificantBits());
        handler.initUuid(partition, copy);
        assertThat(handler.getMetaDataContainer(partition).getUuid()).isNotSameAs(current);

        assertThat(map.get("k")).isEqualTo("v1");
        assertThat(client.nearCacheStats("fronted-same-uuid").getMisses()).isEqualTo(misses);
        assertThat(admitted).as("reads the front turned away").hasValue(0);
    }

    @Test
    void recordInvalidatedWhileBeingAdmitted_doesNotStayInTheFront() throws Exception {
        IMap<String, String> other = otherClient.getMap("fronted-admit");
        IMap<String, String> map = client.map("fronted-admit");
        map.set("k", "v1");
        CountDownLatch admitting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        front("fronted-admit").beforeAdmit(key -> {
            admitting.countDown();
            await().atMost(BOUND).until(() -> release.getCount() == 0);
        });
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            // A first read publishes the fetched value in Hazelcast's store and admits that record: held just before the front takes it.
            Future<String> read = reader.submit(() -> map.get("k"));
            assertThat(admitting.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            other.set("k", "v2");
            await().atMost(BOUND).until(() -> nearCache("fronted-admit").unwrap(DefaultNearCache.class)
                    .getNearCacheRecordStore().getRecord("k") == null);
            release.countDown();
            assertThat(read.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("v1");
        } finally {
            release.countDown();
            front("fronted-admit").beforeAdmit(key -> { });
            reader.shutdownNow();
        }

        assertThat(map.get("k")).isEqualTo("v2");
    }

    @Test
    void readAdmittedBetweenTheTwoStepsOfAnInvalidation_doesNotStayInTheFront() {
        IMap<String, String> other = otherClient.getMap("fronted-invalidate");
        IMap<String, String> map = frontedWithV1("fronted-invalidate");
        CountDownLatch between = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        front("fronted-invalidate").betweenInvalidationSteps(key -> {
            between.countDown();
            await().atMost(BOUND).until(() -> release.getCount() == 0);
        });
        try {
            // The cluster's invalidation for v2 stops between emptying one of the two caches and the other.
            other.set("k", "v2");
            await().atMost(BOUND).until(() -> between.getCount() == 0);
            map.get("k");
        } finally {
            release.countDown();
        }

        // Had the front been emptied first, the read above would have put v1's record back in it for good.
        await().atMost(BOUND).untilAsserted(() -> assertThat(map.get("k")).isEqualTo("v2"));
        front("fronted-invalidate").betweenInvalidationSteps(key -> { });
    }

    @Test
    void readersAndWritersRacing_endWithEveryLastValueInTheFront() throws Exception {
        int keys = 16;
        IMap<Integer, Integer> map = client.map("fronted-race");
        IMap<Integer, Integer> other = otherClient.getMap("fronted-race");
        Map<Integer, Integer> last = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<Future<?>> tasks = new ArrayList<>();
        try {
            for (int reader = 0; reader < 3; reader++) {
                tasks.add(threads.submit(() -> {
                    while (running.get()) {
                        map.get(ThreadLocalRandom.current().nextInt(keys));
                    }
                }));
            }
            // One writer per key range, so "last" is the value written last for each key.
            tasks.add(threads.submit(() -> write(other, 0, keys / 2, last, running)));
            tasks.add(threads.submit(() -> write(map, keys / 2, keys, last, running)));
            await().atMost(BOUND).until(() -> last.size() == keys && client.nearCacheStats("fronted-race").getHits() > 10_000);
        } finally {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> task : tasks) {
            task.get();
        }

        await().atMost(BOUND).untilAsserted(() -> {
            for (int key = 0; key < keys; key++) {
                assertThat(map.get(key)).as("key %d", key).isEqualTo(last.get(key));
            }
        });
        assertThat(front("fronted-race").frontSize()).isPositive();
    }

    @Test
    void front_staysWithinMaxSize() {
        IMap<Integer, Integer> map = client.map("small-fronted");
        for (int key = 0; key < 500; key++) {
            map.set(key, key);
        }
        for (int round = 0; round < 3; round++) {
            for (int key = 0; key < 500; key++) {
                assertThat(map.get(key)).isEqualTo(key);
            }
        }

        assertThat(front("small-fronted").frontSize()).isPositive().isLessThanOrEqualTo(50);
    }

    @Test
    void ownerOfTheKeysTerminated_frontEndsWithTheValuesWrittenAfterwards() {
        try (LocalCluster pair = LocalCluster.builder().members(2).spareSlots(0).start();
             LatticeClient fronted = LatticeClient.builder().addresses(pair.addresses()).clusterName(pair.clusterName())
                     .nearCache("failover", NearCacheOptions.builder().inMemoryFormat(InMemoryFormat.OBJECT).front(true).build())
                     .build()) {
            // set is idempotent: let the writer resend it when the terminated member drops its call.
            HazelcastInstance writer = pair.newClient(config -> config.getNetworkConfig().setRedoOperation(true));
            IMap<Integer, String> source = writer.getMap("failover");
            IMap<Integer, String> map = fronted.map("failover");
            for (int key = 0; key < 100; key++) {
                source.set(key, "before");
            }
            await().atMost(BOUND).untilAsserted(() -> {
                for (int key = 0; key < 100; key++) {
                    assertThat(map.get(key)).isEqualTo("before");
                }
                assertThat(((FrontedNearCache<?, ?>) ((NearCachedClientMapProxy<?, ?>) map).getNearCache()).frontSize())
                        .isEqualTo(100);
            });

            pair.terminate(1);
            for (int key = 0; key < 100; key++) {
                source.set(key, "after");
            }

            await().atMost(BOUND).untilAsserted(() -> {
                for (int key = 0; key < 100; key++) {
                    assertThat(map.get(key)).as("key %d", key).isEqualTo("after");
                }
            });
        }
    }

    private static void write(IMap<Integer, Integer> map, int from, int to, Map<Integer, Integer> last,
                              AtomicBoolean running) {
        for (int value = 0; running.get(); value++) {
            for (int key = from; key < to; key++) {
                map.set(key, value);
                last.put(key, value);
            }
        }
    }

    /** Map {@code name} with k = v1, written through the fronted client and read until the front holds it. */
    private static IMap<String, String> frontedWithV1(String name) {
        IMap<String, String> map = client.map(name);
        map.set("k", "v1");
        readUntilFronted(map, name, "k");
        return map;
    }

    private static void readUntilFronted(IMap<String, String> map, String name, String key) {
        await().atMost(BOUND).until(() -> {
            map.get(key);
            return front(name).frontSize() == 1;
        });
    }

    private static NearCache<Object, Object> nearCache(String name) {
        return ((NearCachedClientMapProxy<?, ?>) client.hazelcast().getMap(name)).getNearCache();
    }

    private static FrontedNearCache<Object, Object> front(String name) {
        return (FrontedNearCache<Object, Object>) nearCache(name);
    }

    private static NearCacheRecord storeRecord(String name, Object key) {
        NearCacheRecord record = nearCache(name).unwrap(DefaultNearCache.class).getNearCacheRecordStore().getRecord(key);
        assertThat(record).as("record of %s in near cache %s", key, name).isNotNull();
        return record;
    }

    private static RepairingHandler repairingHandler(String name) {
        return ((HazelcastClientProxy) client.hazelcast()).client.getProxyManager().getContext()
                .getRepairingTask(MapService.SERVICE_NAME).registerAndGetHandler(name, nearCache(name));
    }
}
