package dev.lattice.server.config;

/** Supported discovery mechanisms. */
public enum DiscoveryMode {
    TCP_IP, KUBERNETES
}
