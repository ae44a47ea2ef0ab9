package dev.lattice.server.extensions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The member's class loader: the grid node's own classes first, then the jars of
 * {@code lattice.extensions.dir}. Hazelcast resolves every class it deserializes or instantiates
 * through its config class loader, so this one decides what application code a node can run.
 *
 * <p>A class found nowhere fails with a message naming the class and the directory; Hazelcast
 * passes it back to the caller inside its {@code HazelcastSerializationException}, so an
 * application developer reads where the jar is missing, not just which class.
 */
public final class ExtensionClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final String origin;

    private ExtensionClassLoader(URL[] jars, ClassLoader parent, String origin) {
        super("lattice-extensions", jars, parent);
        this.origin = origin;
    }

    /**
     * A loader over the jars directly in {@code dir}, sorted by name; with {@code dir == null}
     * (the default directory is absent) it loads only what {@code parent} does.
     */
    public static ExtensionClassLoader over(Path dir, ClassLoader parent) {
        if (dir == null) {
            return new ExtensionClassLoader(new URL[0], parent,
                    "lattice.extensions.dir (not set, and ./lib does not exist)");
        }
        List<Path> jars = jarsIn(dir);
        String names = jars.isEmpty() ? "no jars" : String.join(", ", jars.stream().map(jar -> jar.getFileName().toString()).toList());
        return new ExtensionClassLoader(jars.stream().map(ExtensionClassLoader::url).toArray(URL[]::new), parent,
                "lattice.extensions.dir (" + dir + ": " + names + ")");
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("lattice.extensions.dir: cannot list " + dir, e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("lattice.extensions.dir: cannot load " + jar, e);
        }
    }

    /** The packages of the classes in this loader's jars: application code the operator deployed on purpose. */
    public Set<String> packages() {
        Set<String> packages = new TreeSet<>();
        for (URL url : getURLs()) {
            try (JarFile jar = new JarFile(Path.of(url.toURI()).toFile())) {
                jar.stream().map(JarEntry::getName)
                        .filter(name -> name.endsWith(".class") && name.contains("/") && !name.startsWith("META-INF/"))
                        .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
                        .forEach(packages::add);
            } catch (IOException | java.net.URISyntaxException e) {
                throw new IllegalStateException("lattice.extensions.dir: cannot read " + url, e);
            }
        }
        return packages;
    }

    /** Where application classes come from, for logs and for the message of a missing class. */
    public String origin() {
        return origin;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        try {
            return super.findClass(name);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException(name + " is not on this grid node: it is neither part of the node nor in "
                    + origin + ". Put the jar holding it into that directory on every node and restart the nodes.", e);
        }
    }
}
