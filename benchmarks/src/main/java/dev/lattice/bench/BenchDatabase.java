package dev.lattice.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh, uniquely named PostgreSQL database for one run, created next to a maintenance database
 * and dropped (with any connection still open) on close, so runs never see each other's rows.
 */
final class BenchDatabase implements AutoCloseable {

    private final String adminUrl;
    private final String name;
    private final String url;

    private BenchDatabase(String adminUrl, String name, String url) {
        this.adminUrl = adminUrl;
        this.name = name;
        this.url = url;
    }

    /** {@code adminUrl} like {@code jdbc:postgresql://host:5432/postgres?user=postgres}. */
    static BenchDatabase create(String adminUrl) {
        String name = "lattice_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = adminUrl.indexOf('?');
        String url = adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
        execute(adminUrl, "CREATE DATABASE " + name);
        return new BenchDatabase(adminUrl, name, url);
    }

    /** True when a server answers at {@code adminUrl} within a few seconds. */
    static boolean reachable(String adminUrl) {
        // pgjdbc's own parameter: DriverManager.setLoginTimeout would change every later connection too.
        String url = adminUrl + (adminUrl.contains("?") ? "&" : "?") + "loginTimeout=3";
        try (Connection ignored = DriverManager.getConnection(url)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    String name() {
        return name;
    }

    /** This database's URL, credentials included as parameters. */
    String url() {
        return url;
    }

    /** The URL without its parameters, for a grid node that takes the user as its own property. */
    /** A grid node's settings for this database: URL, user and, if the URL has one, password. */
    List<String> nodeSettings() {
        List<String> settings = new ArrayList<>(List.of("--lattice.datasource.url=" + urlWithoutParameters(),
                "--lattice.datasource.user=" + parameter("user", "postgres")));
        String password = parameter("password", null);
        if (password != null) {
            settings.add("--lattice.datasource.password=" + password);
        }
        return settings;
    }

    String urlWithoutParameters() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** A parameter of the URL ({@code user}, {@code password}), or {@code fallback}. */
    String parameter(String key, String fallback) {
        int query = url.indexOf('?');
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("&")) {
                if (parameter.startsWith(key + "=")) {
                    return parameter.substring(key.length() + 1);
                }
            }
        }
        return fallback;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public void close() {
        execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + url + ": " + e.getMessage(), e);
        }
    }
}
