package dev.lattice.bench;

import com.hazelcast.map.IMap;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.UnifiedJedis;

/**
 * The remote get/put every system under test answers: key {@code i} of a fixed set, the same value
 * bytes. Keys are encoded once up front so no system pays for building them in the measured loop.
 */
interface KeyValue {

    void put(int key, byte[] value);

    byte[] get(int key);

    /** Gets one of keys {@code 0..keys-1} at random; every one was written before the run, so a miss fails it. */
    default void getAnyOf(int keys) {
        if (get(ThreadLocalRandom.current().nextInt(keys)) == null) {
            throw new IllegalStateException("a key written before the run is missing");
        }
    }

    /** Removes the keys this run wrote, where the system outlives the run (Redis). */
    default void clear() {
    }

    /** A Hazelcast map of {@code String} keys, through Lattice's client or a stock one. */
    static KeyValue of(IMap<String, byte[]> map, int keys) {
        String[] names = new String[keys];
        for (int i = 0; i < keys; i++) {
            names[i] = "key-" + i;
        }
        return new KeyValue() {
            @Override
            public void put(int key, byte[] value) {
                // set, not put: put also sends back the old value, which Redis SET does not
                map.set(names[key], value);
            }

            @Override
            public byte[] get(int key) {
                return map.get(names[key]);
            }
        };
    }

    /** Redis SET/GET; the client's pool gives each concurrent caller its own connection. */
    static KeyValue of(UnifiedJedis redis, String prefix, int keys) {
        byte[][] names = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            names[i] = (prefix + "key-" + i).getBytes(StandardCharsets.UTF_8);
        }
        return new KeyValue() {
            @Override
            public void put(int key, byte[] value) {
                redis.set(names[key], value);
            }

            @Override
            public byte[] get(int key) {
                return redis.get(names[key]);
            }

            @Override
            public void clear() {
                for (int from = 0; from < names.length; from += 1000) {
                    redis.del(Arrays.copyOfRange(names, from, Math.min(names.length, from + 1000)));
                }
            }
        };
    }
}
