package dev.lattice.tck;

import dev.lattice.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The command-line arguments of the grid node the TCK runs against: the README's command plus
 * what keeps it private to this run (free loopback ports, a unique cluster name, its own
 * embedded-database directory).
 */
final class TckNode {

    final String clusterName = "tck-" + UUID.randomUUID();
    final int memberPort;
    final int httpPort;
    final Path workDir;

    TckNode() {
        List<Integer> ports = FreePorts.distinct(2);
        this.memberPort = ports.get(0);
        this.httpPort = ports.get(1);
        try {
            this.workDir = Files.createDirectories(Path.of(property("lattice.tck.work.dir")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the TCK through Maven (jcache-tck/pom.xml)");
        }
        return value;
    }

    static Path gridServerJar() {
        Path jar = Path.of(property("lattice.tck.grid-server.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package grid-server first (mvn -pl jcache-tck -am verify)");
        }
        return jar;
    }

    List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add("--lattice.cluster-name=" + clusterName);
        args.add("--lattice.network.port=" + memberPort);
        args.add("--lattice.network.port-auto-increment=false");
        args.add("--lattice.discovery.members=127.0.0.1:" + memberPort);
        args.add("--server.port=" + httpPort);
        args.add("--lattice.datasource.embedded.data-dir=" + workDir.resolve("postgres"));
        args.add("--spring.main.banner-mode=off");
        return args;
    }

    String memberAddress() {
        return "127.0.0.1:" + memberPort;
    }
}
