package dev.lattice.helm;

import dev.lattice.testsupport.TcpProxy;
import dev.lattice.testsupport.TestDatabase;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Points a rendered pod that expects an in-cluster PostgreSQL at a test database instead. */
final class ExternalDatabase {

    private static final Pattern USER_PARAMETER = Pattern.compile("[?&]user=([^&]+)");
    private static final Pattern HOST_AND_PORT = Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?/");

    private ExternalDatabase() {
    }

    /**
     * The URL and user replace the rendered ones (that host exists only in the cluster); the
     * password arrives the rendered way, as the file from the Secret the chart mounts.
     */
    static void use(TestDatabase database, PodProcess.Builder pod) {
        use(database, database.jdbcUrl(), pod);
    }

    /** As {@link #use(TestDatabase, PodProcess.Builder)}, through {@code proxy}, which the test can cut. */
    static void use(TestDatabase database, TcpProxy proxy, PodProcess.Builder pod) {
        Matcher m = HOST_AND_PORT.matcher(database.jdbcUrl());
        if (!m.find()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL with a host: " + database.jdbcUrl());
        }
        use(database, m.replaceFirst("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/"), pod);
    }

    /** A proxy to the test database's server. */
    static TcpProxy proxyTo(TestDatabase database) {
        Matcher m = HOST_AND_PORT.matcher(database.jdbcUrl());
        if (!m.find()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL with a host: " + database.jdbcUrl());
        }
        return TcpProxy.start(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
    }

    private static void use(TestDatabase database, String url, PodProcess.Builder pod) {
        pod.override("lattice.datasource.url", url);
        String user = database.user();
        if (user == null) {
            Matcher m = USER_PARAMETER.matcher(database.jdbcUrl());
            user = m.find() ? m.group(1) : "postgres";
        }
        pod.override("lattice.datasource.user", user);
        String password = database.password() == null ? "unused-with-trust-authentication" : database.password();
        pod.secret("lattice-db", Map.of("password", password));
    }
}
