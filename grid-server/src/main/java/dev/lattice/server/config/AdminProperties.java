package dev.lattice.server.config;

import java.nio.file.Path;

/**
 * {@code lattice.admin.*}: the one operator credential for the actuator endpoints beyond
 * {@code health}, {@code info} and {@code prometheus} (dead letters, effective configuration, and
 * any endpoint an operator exposes). Without a password those endpoints refuse every request:
 * there is no generated default password, so none can leak into a log.
 */
public class AdminProperties {

    /** The operator's user name. Default {@code admin}. */
    private String user = "admin";

    /**
     * The operator's password; prefer the environment variable {@code LATTICE_ADMIN_PASSWORD} (which
     * sets this) or {@link #passwordFile}. Kept in memory only as a hash. Default: none.
     */
    private String password;

    /** A file holding the password (e.g. a mounted Kubernetes secret); one trailing newline is ignored. Default: none. */
    private Path passwordFile;

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Path getPasswordFile() {
        return passwordFile;
    }

    public void setPasswordFile(Path passwordFile) {
        this.passwordFile = passwordFile;
    }
}
