package dev.lattice.cacheloader.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where the database is and how to log in. The password comes from at most one of: the literal
 * {@link Builder#password(String)}, an environment variable named by
 * {@link Builder#passwordEnv(String)}, or a secret file ({@link Builder#passwordFile(Path)}, e.g. a
 * mounted Kubernetes secret; one trailing newline is ignored). None of them means no password
 * (trust authentication, or credentials in the URL).
 */
public final class DataSourceSettings {

    private final String url;
    private final String user;
    private final String password;
    private final String passwordEnv;
    private final Path passwordFile;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final Duration socketTimeout;

    private DataSourceSettings(Builder b) {
        this.url = b.url;
        this.user = b.user;
        this.password = b.password;
        this.passwordEnv = b.passwordEnv;
        this.passwordFile = b.passwordFile;
        this.poolSize = b.poolSize;
        this.connectionTimeout = b.connectionTimeout;
        this.socketTimeout = b.socketTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A {@code jdbc:postgresql://} URL. */
    public String url() {
        return url;
    }

    /** May be null when the URL carries the user. */
    public String user() {
        return user;
    }

    /** Connections in the pool. Default 4. */
    public int poolSize() {
        return poolSize;
    }

    /**
     * How long a store waits for a connection before it treats the database as down. Default 2 s:
     * short, so an unreachable database fails fast instead of holding threads for Hikari's 30 s.
     */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** How long one statement may wait on the network before the connection counts as broken. Default 30 s. */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** The password from the process environment; see {@link #resolvePassword(Function)}. */
    public String resolvePassword() {
        return resolvePassword(System::getenv);
    }

    /**
     * The password, reading the environment variable or secret file now.
     *
     * @throws IllegalStateException naming the variable or file when it is missing or unreadable
     */
    public String resolvePassword(Function<String, String> environment) {
        if (passwordEnv != null) {
            String value = environment.apply(passwordEnv);
            if (value == null) {
                throw new IllegalStateException("password environment variable '" + passwordEnv + "' is not set");
            }
            return value;
        }
        if (passwordFile != null) {
            try {
                String content = Files.readString(passwordFile, StandardCharsets.UTF_8);
                return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
            } catch (IOException e) {
                throw new IllegalStateException("password file '" + passwordFile + "' can not be read: " + e, e);
            }
        }
        return password;
    }

    @Override
    public String toString() {
        // Never the password itself.
        String source = passwordEnv != null ? "env:" + passwordEnv : passwordFile != null ? "file:" + passwordFile
                : password != null ? "literal" : "none";
        return "DataSourceSettings{url=" + url + ", user=" + user + ", password=" + source + ", poolSize=" + poolSize + "}";
    }

    /** Collects settings; {@link #build()} validates them together. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private String passwordEnv;
        private Path passwordFile;
        private int poolSize = 4;
        private Duration connectionTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The name of an environment variable holding the password, read when the pool is created. */
        public Builder passwordEnv(String passwordEnv) {
            this.passwordEnv = passwordEnv;
            return this;
        }

        public Builder passwordFile(Path passwordFile) {
            this.passwordFile = passwordFile;
            return this;
        }

        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 200) {
                throw new IllegalArgumentException("pool size must be between 1 and 200; was " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        public Builder connectionTimeout(Duration connectionTimeout) {
            if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connection timeout must be at least 250 ms; was " + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            if (socketTimeout == null || socketTimeout.getSeconds() < 1) {
                throw new IllegalArgumentException("socket timeout must be at least 1 s; was " + socketTimeout);
            }
            this.socketTimeout = socketTimeout;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the field and value that are wrong
         */
        public DataSourceSettings build() {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("datasource url must be set");
            }
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("datasource url must start with jdbc:postgresql:// (PostgreSQL is the "
                        + "only supported database); was '" + url + "'");
            }
            long sources = Map.of("password", password != null, "password env", passwordEnv != null,
                    "password file", passwordFile != null).values().stream().filter(Boolean::booleanValue).count();
            if (sources > 1) {
                throw new IllegalArgumentException("password, password env and password file can not be combined: set one");
            }
            if (passwordEnv != null && passwordEnv.isBlank()) {
                throw new IllegalArgumentException("password env must name an environment variable; was '" + passwordEnv + "'");
            }
            Objects.requireNonNull(connectionTimeout);
            return new DataSourceSettings(this);
        }
    }
}
