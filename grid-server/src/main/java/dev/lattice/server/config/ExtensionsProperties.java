package dev.lattice.server.config;

import java.nio.file.Path;

/**
 * {@code lattice.extensions.*}: where a grid node finds the application's classes (entry
 * processors, JCache loader/writer/expiry/listener factories, value types) that it must
 * deserialize or run.
 */
public class ExtensionsProperties {

    /** The directory used when {@link #dir} is not set; skipped quietly when it does not exist. */
    public static final Path DEFAULT_DIR = Path.of("lib");

    /**
     * A directory of jars whose classes the member loads, relative to the working directory.
     * Default {@code ./lib}, used only if it exists; a directory set explicitly must exist and be
     * readable, or the node does not start.
     */
    private Path dir;

    public Path getDir() {
        return dir;
    }

    public void setDir(Path dir) {
        this.dir = dir;
    }
}
