package dev.lattice.cacheloader;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapStoreConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.cacheloader.config.DataSourceSettings;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.testsupport.LocalCluster;
import dev.lattice.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Shared test plumbing: pools on a test database, clusters with a map backed by a table, table contents. */
final class Fixtures {

    private static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/");

    private Fixtures() {
    }

    static HikariDataSource pool(TestDatabase db) {
        return pool(db.jdbcUrl(), db);
    }

    /** A pool whose short timeouts make a cut database fail fast. */
    static HikariDataSource pool(String url, TestDatabase db) {
        return LatticeMapStores.dataSource(DataSourceSettings.builder().url(url).user(db.user()).password(db.password())
                .poolSize(4).connectionTimeout(Duration.ofMillis(500)).socketTimeout(Duration.ofSeconds(5)).build(), db.name());
    }

    /**
     * A pool with a connection for each of {@code callers} and a few to spare, whose callers wait up to
     * a minute for one: for tests that hold a table lock while calls queue behind it.
     */
    static HikariDataSource patientPool(TestDatabase db, int callers) {
        return LatticeMapStores.dataSource(DataSourceSettings.builder().url(db.jdbcUrl()).user(db.user()).password(db.password())
                .poolSize(callers + 4).connectionTimeout(Duration.ofSeconds(60)).build(), db.name());
    }

    /**
     * One member with {@code map} backed by its table, and room for {@code joining} more. Every member's
     * store is built up front: building one checks the table, which such a test locks before members join.
     */
    static LocalCluster oneMemberWithRoomToJoin(String map, MapStoreSettings settings, DataSource pool, int joining) {
        Deque<MapStoreConfig> stores = new ArrayDeque<>();
        for (int i = 0; i <= joining; i++) {
            stores.add(LatticeMapStores.mapStoreConfig(map, settings, pool, new SimpleMeterRegistry()));
        }
        return LocalCluster.builder().members(1).spareSlots(joining).customize(config ->
                LatticeMapStores.configureMember(config).getMapConfig(map).setBackupCount(1).setMapStoreConfig(stores.pop()))
                .start();
    }

    static String host(TestDatabase db) {
        Matcher m = HOST_PORT.matcher(db.jdbcUrl());
        if (!m.find()) {
            throw new IllegalStateException("unexpected test URL " + db.jdbcUrl());
        }
        return m.group(1);
    }

    static int port(TestDatabase db) {
        Matcher m = HOST_PORT.matcher(db.jdbcUrl());
        if (!m.find()) {
            throw new IllegalStateException("unexpected test URL " + db.jdbcUrl());
        }
        return Integer.parseInt(m.group(2));
    }

    /** The test database's URL with the server's address replaced by loopback port {@code port}. */
    static String viaPort(TestDatabase db, int port) {
        return HOST_PORT.matcher(db.jdbcUrl()).replaceFirst("jdbc:postgresql://127.0.0.1:" + port + "/");
    }

    /** A cluster whose members each get their own store for {@code map} on {@code dataSource}. */
    static LocalCluster cluster(int members, String map, MapStoreSettings settings, DataSource dataSource,
                                MeterRegistry registry, Consumer<Config> extra) {
        return LocalCluster.builder().members(members).customize(config -> {
            LatticeMapStores.configureMember(config).getMapConfig(map).setBackupCount(members > 1 ? 1 : 0)
                    .setMapStoreConfig(LatticeMapStores.mapStoreConfig(map, settings, dataSource, registry));
            extra.accept(config);
        }).start();
    }

    /** Every row of {@code table} as key text to value text. */
    static Map<String, String> rows(DataSource dataSource, String table, String keyColumn, String valueColumn) {
        // Test-only SQL with constant identifiers chosen by the test itself.
        String sql = "SELECT " + keyColumn + "::text, " + valueColumn + "::text FROM " + table;
        Map<String, String> rows = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    static Map<String, String> rows(DataSource dataSource, String table) {
        return rows(dataSource, table, "id", "value");
    }

    static void execute(DataSource dataSource, String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static long count(DataSource dataSource, String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
