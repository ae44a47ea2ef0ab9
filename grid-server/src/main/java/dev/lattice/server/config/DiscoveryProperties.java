package dev.lattice.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** How members find each other. Multicast is never used: it leaks clusters across networks. */
public class DiscoveryProperties {

    /**
     * {@code tcp-ip} (a fixed member list) or {@code kubernetes}: a DNS lookup of a headless
     * service ({@link #serviceDns}), or the Kubernetes API's endpoints of a service
     * ({@link #serviceName}, needs RBAC). Default {@code tcp-ip}.
     */
    private DiscoveryMode mode = DiscoveryMode.TCP_IP;

    /**
     * TCP/IP mode: members to contact, as {@code host} or {@code host:port}. A host without a
     * port is tried on the first three ports from {@code lattice.network.port}, so two nodes
     * on one machine find each other with no extra settings. Default {@code 127.0.0.1}.
     */
    private List<String> members = new ArrayList<>(List.of("127.0.0.1"));

    /** Kubernetes mode: DNS name of the headless service, e.g. {@code lattice.default.svc.cluster.local}. Default: none. */
    private String serviceDns;

    /** Kubernetes mode: how long to wait for the DNS lookup. Default 5s. */
    private Duration serviceDnsTimeout = Duration.ofSeconds(5);

    /**
     * Kubernetes API mode, instead of {@link #serviceDns}: the service whose endpoints are the
     * members, read from the Kubernetes API with the pod's service-account token (which needs
     * {@code get} and {@code list} on endpoints, endpointslices, pods and services). Default: none.
     */
    private String serviceName;

    /** Kubernetes API mode: the service's namespace. Default: none, the pod's own namespace. */
    private String namespace;

    public DiscoveryMode getMode() {
        return mode;
    }

    public void setMode(DiscoveryMode mode) {
        this.mode = mode;
    }

    public List<String> getMembers() {
        return members;
    }

    public void setMembers(List<String> members) {
        this.members = members;
    }

    public String getServiceDns() {
        return serviceDns;
    }

    public void setServiceDns(String serviceDns) {
        this.serviceDns = serviceDns;
    }

    public String getServiceName() {
        return serviceName;
    }

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public Duration getServiceDnsTimeout() {
        return serviceDnsTimeout;
    }

    public void setServiceDnsTimeout(Duration serviceDnsTimeout) {
        this.serviceDnsTimeout = serviceDnsTimeout;
    }
}
