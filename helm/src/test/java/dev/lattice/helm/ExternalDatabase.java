package dev.lattice.helm;

import dev.lattice.testsupport.TestDatabase;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Points a rendered pod that expects an in-cluster PostgreSQL at a test database instead. */
final class ExternalDatabase {

    private static final Pattern USER_PARAMETER = Pattern.compile("[?&]user=([^&]+)");

    private ExternalDatabase() {
    }

    /**
     * The URL and user replace the rendered ones (that host exists only in the cluster); the
     * password arrives the rendered way, as the file from the Secret the chart mounts.
     */
    static void use(TestDatabase database, PodProcess.Builder pod) {
        pod.override("lattice.datasource.url", database.jdbcUrl());
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
