package dev.lattice.server.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locks the embedded PostgreSQL down. Its binaries initialise the data directory with "trust"
 * authentication, so any local user could open a superuser session on its loopback port (and run
 * programs through {@code COPY ... TO PROGRAM}). On the first start Lattice gives the superuser a
 * generated password, creates a non-superuser role {@value #ROLE} that owns the tables, keeps both
 * passwords in files only the node's OS user can read ({@code 0600}, in the data directory), and
 * switches every connection to password authentication; nodes connect as {@value #ROLE}.
 */
final class EmbeddedCredentials {

    static final String ROLE = "lattice";
    static final String DATABASE = "postgres";
    private static final String ADMIN = "postgres";
    private static final String ROLE_PASSWORD_FILE = ".lattice-password";
    private static final String ADMIN_PASSWORD_FILE = ".lattice-admin-password";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedCredentials.class);

    private final String password;

    private EmbeddedCredentials(String password) {
        this.password = password;
    }

    String password() {
        return password;
    }

    /** The node role's credentials, after locking the server down if this is its first start. */
    static EmbeddedCredentials ensure(Path dataDirectory, int port) {
        Path rolePassword = dataDirectory.resolve(ROLE_PASSWORD_FILE);
        if (Files.exists(rolePassword)) {
            return new EmbeddedCredentials(read(rolePassword));
        }
        String admin = generate();
        String role = generate();
        try (Connection c = connect(port, ADMIN, null); Statement s = c.createStatement()) {
            // Generated passwords, no user input: PostgreSQL's utility statements take no parameters.
            s.execute("ALTER ROLE " + ADMIN + " PASSWORD '" + admin + "'");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE + "') THEN CREATE ROLE "
                    + ROLE + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; END IF; END $$");
            s.execute("ALTER ROLE " + ROLE + " PASSWORD '" + role + "'");
            s.execute("ALTER SCHEMA public OWNER TO " + ROLE);
            // A data directory from an earlier Lattice version holds tables the superuser owns.
            for (String table : tablesOwnedBy(c, ADMIN)) {
                s.execute("ALTER TABLE public." + quote(table) + " OWNER TO " + ROLE);
            }
            write(dataDirectory.resolve(ADMIN_PASSWORD_FILE), admin);
            write(rolePassword, role);
            requirePasswords(dataDirectory);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL in " + dataDirectory + ": could not set up its credentials: "
                    + e.getMessage(), e);
        }
        log.info("embedded PostgreSQL in {}: passwords generated into {} and {} (readable by this user only); "
                + "connections now need them", dataDirectory, ROLE_PASSWORD_FILE, ADMIN_PASSWORD_FILE);
        return new EmbeddedCredentials(role);
    }

    /** The superuser's password once the server was locked down; null before its first start. */
    static String adminPassword(Path dataDirectory) {
        Path file = dataDirectory.resolve(ADMIN_PASSWORD_FILE);
        return Files.exists(file) ? read(file) : null;
    }

    static Connection connect(int port, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, props);
    }

    private static List<String> tablesOwnedBy(Connection c, String owner) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Password authentication for every connection; no local socket, which would be another door. */
    private static void requirePasswords(Path dataDirectory) {
        String hba = """
                # Written by Lattice: every connection needs a password (scram-sha-256).
                # TYPE  DATABASE  USER  ADDRESS       METHOD
                host    all       all   127.0.0.1/32  scram-sha-256
                host    all       all   ::1/128       scram-sha-256
                """;
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write pg_hba.conf in " + dataDirectory, e);
        }
    }

    private static String generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void write(Path file, String secret) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + " (the embedded database's password)", e);
        }
    }
}
