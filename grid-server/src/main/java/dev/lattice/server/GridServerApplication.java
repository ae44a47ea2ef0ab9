package dev.lattice.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Lattice grid node: one Hazelcast member inside a Spring Boot application, configured through
 * {@code lattice.*} properties, with health probes and graceful shutdown on SIGTERM.
 */
@SpringBootApplication
public class GridServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(GridServerApplication.class, args);
    }
}
