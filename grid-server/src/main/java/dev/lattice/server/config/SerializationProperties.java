package dev.lattice.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code lattice.serialization.*}: which classes a member may deserialize from Java
 * serialization. Members deserialize values that any client reaching the member port sends; a
 * crafted object graph of classes on the member's class path (a "gadget chain") can run code while
 * it is read. Only the JDK's own types, Hazelcast's, the packages of the jars in
 * {@code lattice.extensions.dir} and the packages listed here are accepted; anything else fails
 * the call that needed it, and the member stays up.
 */
public class SerializationProperties {

    /**
     * More package prefixes whose classes may be deserialized, e.g. {@code com.example.orders.}
     * (a trailing dot matches sub-packages; without one, exactly that package). Default: none.
     */
    private List<String> allowedPackages = new ArrayList<>();

    public List<String> getAllowedPackages() {
        return allowedPackages;
    }

    public void setAllowedPackages(List<String> allowedPackages) {
        this.allowedPackages = allowedPackages;
    }
}
