package dev.lattice.server.persistence;

import com.hazelcast.core.HazelcastInstance;
import dev.lattice.cacheloader.JdbcMapStore;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.jdbc.JdbcMapLoader;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Opens every map backed by a table as soon as the member runs, so writes saved at the last
 * shutdown are replayed and eager maps are loaded without waiting for a client to touch them.
 *
 * <p>Hazelcast loads an eager map once: if the load fails (the database is down at startup) it
 * logs the error and leaves the map with whatever it got, and a later {@code size()} or query
 * would silently miss rows (single reads still fall through to the table). Lattice retries the
 * load (without replacing values written since) until it succeeds, and readiness stays down
 * until every eager map is loaded.
 *
 * <p>Below split-brain protection's minimum cluster size the store holds every load back (Hazelcast
 * would lose part of it, see {@code JdbcMapLoader}). Readiness does not wait for those loads then:
 * Kubernetes starts the next pod only once this one is ready, so waiting would never end. Such a
 * member refuses writes anyway, and reads of an eager map wait for its load.
 */
public final class MapLoads implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MapLoads.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final HazelcastInstance member;
    private final Map<String, MapStoreSettings> stores;
    private final int minimumClusterSize;
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();
    private volatile Thread loader;
    private volatile boolean running;

    MapLoads(HazelcastInstance member, Map<String, MapStoreSettings> stores, int minimumClusterSize) {
        this.member = member;
        this.stores = stores;
        this.minimumClusterSize = minimumClusterSize;
    }

    /** Members still missing before eager maps can load; 0 once the minimum cluster size is met. */
    public int membersMissing() {
        return Math.max(0, minimumClusterSize - member.getCluster().getMembers().size());
    }

    /** Eager maps whose rows are not all in the grid yet. */
    public Set<String> loading() {
        Set<String> pending = ConcurrentHashMap.newKeySet();
        stores.forEach((name, settings) -> {
            if (settings.initialLoad() == InitialLoad.EAGER && !loaded.contains(name)) {
                pending.add(name);
            }
        });
        return pending;
    }

    @Override
    public void start() {
        running = true;
        loader = new Thread(this::openAll, "lattice-map-loads");
        loader.setDaemon(true);
        loader.start();
    }

    private void openAll() {
        stores.forEach((name, settings) -> {
            if (settings.initialLoad() == InitialLoad.LAZY) {
                member.getMap(name);
                log.info("Map {} loads lazily: each key is read from table {} on its first access, so size() and"
                        + " queries see only the entries read or written since the node started", name, settings.table());
            }
        });
        stores.forEach((name, settings) -> {
            if (settings.initialLoad() == InitialLoad.EAGER) {
                load(name, settings);
            }
        });
    }

    private void load(String name, MapStoreSettings settings) {
        Duration backoff = Duration.ofSeconds(1);
        boolean first = true;
        while (running && member.getLifecycleService().isRunning()) {
            long started = System.nanoTime();
            long failuresBefore = loadFailures(name);
            try {
                if (first) {
                    awaitFirstLoad(name);
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    // Creating the map starts Hazelcast's eager load (if not yet started) and waits for it.
                    member.getMap(name);
                } else {
                    // Keys already in memory keep their (newer) values.
                    member.getMap(name).loadAll(false);
                }
                if (loadFailures(name) != failuresBefore) {
                    // Hazelcast logs a failed load and carries on with what it got.
                    throw new IllegalStateException("the store reported failed loads");
                }
                loaded.add(name);
                log.info("Map {} loaded from table {}: {} entries in {} ms", name, settings.table(), member.getMap(name).size(),
                        (System.nanoTime() - started) / 1_000_000);
                return;
            } catch (RuntimeException e) {
                log.warn("Loading map {} from table {} failed ({}); retrying in {} s; readiness stays down until it is loaded",
                        name, settings.table(), e.getClass().getSimpleName(), backoff.toSeconds());
            }
            first = false;
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * The first load, waited for with short pauses ({@link EagerLoadWait}); a failure here is left
     * to the map's creation right after, which waits the same way and reports it as before.
     */
    private void awaitFirstLoad(String name) {
        try {
            EagerLoadWait.await(member, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Waiting for the eager load of map {} failed; creating the map waits again", name, e);
        }
    }

    /** Failed loads the map's store counted on this member; 0 for a store that does not count them. */
    private long loadFailures(String name) {
        Object store = member.getConfig().getMapConfig(name).getMapStoreConfig().getImplementation();
        if (store instanceof JdbcMapStore jdbc) {
            return jdbc.loadFailures();
        }
        return store instanceof JdbcMapLoader loader ? loader.loadFailures() : 0;
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = loader;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the member is up, before the web server starts answering readiness. */
    @Override
    public int getPhase() {
        return 0;
    }
}
