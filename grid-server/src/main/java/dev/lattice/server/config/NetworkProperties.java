package dev.lattice.server.config;

import java.util.ArrayList;
import java.util.List;

/** Where the member listens. */
public class NetworkProperties {

    /**
     * Interfaces the member binds to and advertises (IPs or Hazelcast wildcards such as
     * {@code 10.0.*.*}). Default {@code 127.0.0.1}: a member is not reachable from other
     * machines until you say so.
     */
    private List<String> interfaces = new ArrayList<>(List.of("127.0.0.1"));

    /**
     * Bind to every interface (0.0.0.0) while still advertising the one matched by
     * {@link #interfaces}. Needed in containers, where the pod IP is not known in advance.
     * Default false.
     */
    private boolean bindAny;

    /** First port the member tries. Default 5701. */
    private int port = 5701;

    /** Try the next port when {@link #port} is taken, so two nodes can run on one machine. Default true. */
    private boolean portAutoIncrement = true;

    /** How many ports auto-increment may try, starting at {@link #port}. Default 100. */
    private int portCount = 100;

    /** Address other members and clients should use to reach this one (host:port), e.g. behind NAT. Default: none. */
    private String publicAddress;

    public List<String> getInterfaces() {
        return interfaces;
    }

    public void setInterfaces(List<String> interfaces) {
        this.interfaces = interfaces;
    }

    public boolean isBindAny() {
        return bindAny;
    }

    public void setBindAny(boolean bindAny) {
        this.bindAny = bindAny;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public boolean isPortAutoIncrement() {
        return portAutoIncrement;
    }

    public void setPortAutoIncrement(boolean portAutoIncrement) {
        this.portAutoIncrement = portAutoIncrement;
    }

    public int getPortCount() {
        return portCount;
    }

    public void setPortCount(int portCount) {
        this.portCount = portCount;
    }

    public String getPublicAddress() {
        return publicAddress;
    }

    public void setPublicAddress(String publicAddress) {
        this.publicAddress = publicAddress;
    }
}
