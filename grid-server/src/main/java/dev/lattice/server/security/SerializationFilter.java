package dev.lattice.server.security;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import java.util.Collection;

/**
 * The member's allow-list for Java serialization. Any client that reaches the member port can
 * send an object graph for a member to read; read with no filter, a chain of classes that happen
 * to be on the member's class path (Spring, Hazelcast's own dependencies, the JDK's RMI and JMX)
 * can run code while it is being read. Allowed: Hazelcast's types, the JDK's value types
 * ({@code java.*}, {@code javax.*} and arrays, Hazelcast's own default list), the packages of the
 * jars the operator deployed in {@code lattice.extensions.dir}, and
 * {@code lattice.serialization.allowed-packages}. Refused even so: the JDK classes known to start
 * or carry such chains. A refused class fails the call that needed it with "Resolving class ...
 * is not allowed"; the member stays up.
 */
final class SerializationFilter {

    private SerializationFilter() {
    }

    static JavaSerializationFilterConfig of(Collection<String> allowedPackages, Collection<String> extensionPackages) {
        ClassFilter allowed = new ClassFilter();
        for (String entry : allowedPackages) {
            if (entry.endsWith(".")) {
                allowed.addPrefixes(entry);
            } else {
                allowed.addPackages(entry);
            }
        }
        extensionPackages.forEach(allowed::addPackages);
        // A GregorianCalendar carries its time zone as this JDK-internal class; Hazelcast's own
        // list has java.* only, so without it a Calendar value could not be stored.
        allowed.addClasses("sun.util.calendar.ZoneInfo");
        ClassFilter refused = new ClassFilter()
                // JNDI, RMI and JMX classes start the JDK-only chains (lookups, remote references), as do
                // the JDK's internals (annotation proxies, XSLT templates). Not all of sun.*: a Calendar
                // carries its time zone as sun.util.calendar.ZoneInfo.
                .addPrefixes("javax.naming.", "java.rmi.", "javax.management.", "com.sun.", "sun.reflect.", "sun.rmi.",
                        "sun.misc.", "jdk.")
                // URL makes a DNS lookup when hashed: the classic probe for an open deserialization door.
                // (InetAddress stays allowed: reading one resolves nothing, and JCache listener and
                // writer factories that name a host carry it.)
                .addClasses("java.net.URL", "java.beans.EventHandler");
        return new JavaSerializationFilterConfig().setWhitelist(allowed).setBlacklist(refused);
    }
}
