package dev.lattice.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** One uniquely named database on the fixture's PostgreSQL; {@link #close()} drops it. */
public final class TestDatabase implements AutoCloseable {

    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Runnable dropper;

    TestDatabase(String name, String jdbcUrl, String user, String password, Runnable dropper) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.dropper = dropper;
    }

    public String name() {
        return name;
    }

    /** JDBC URL of this database; credentials may be in its parameters (then {@link #user()} is null). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new connection to this database. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, props);
    }

    @Override
    public void close() {
        dropper.run();
    }
}
