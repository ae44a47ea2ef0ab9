package dev.lattice.server.extensions;

import java.nio.file.Files;
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

    /**
     * Fails when an explicitly set directory cannot be used.
     *
     * @throws IllegalArgumentException naming what is wrong with the directory
     */
    public void check() {
        if (dir == null) {
            return;
        }
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new IllegalArgumentException("directory " + absolute + " does not exist");
        }
        if (!Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(absolute + " is not a directory");
        }
        if (!Files.isReadable(absolute)) {
            throw new IllegalArgumentException("directory " + absolute + " is not readable");
        }
    }

    /** The directory to load, or {@code null} when the default one is absent. */
    Path effectiveDir() {
        if (dir != null) {
            return dir.toAbsolutePath().normalize();
        }
        Path fallback = DEFAULT_DIR.toAbsolutePath().normalize();
        return Files.isDirectory(fallback) ? fallback : null;
    }

    public Path getDir() {
        return dir;
    }

    public void setDir(Path dir) {
        this.dir = dir;
    }
}
