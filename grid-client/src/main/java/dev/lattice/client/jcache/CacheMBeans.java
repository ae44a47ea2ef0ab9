package dev.lattice.client.jcache;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers the JSR-107 MBeans in the platform MBean server under the names the spec gives:
 * {@code javax.cache:type=CacheStatistics|CacheConfiguration,CacheManager=<uri>,Cache=<name>}.
 */
final class CacheMBeans {

    enum Type {
        CacheStatistics, CacheConfiguration
    }

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private CacheMBeans() {
    }

    static ObjectName name(Type type, String managerUri, String cacheName) {
        try {
            return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + safe(managerUri) + ",Cache=" + safe(cacheName));
        } catch (MalformedObjectNameException e) {
            throw new CacheException("no MBean name for cache '" + cacheName + "' of manager " + managerUri, e);
        }
    }

    /** Characters that would end an ObjectName value, replaced as the spec's reference implementation does. */
    private static String safe(String value) {
        return value == null ? "" : value.replaceAll("[,:=\n]", ".");
    }

    /**
     * Registers {@code bean} under {@code name}, replacing what is there: a Hazelcast member in
     * the same JVM (tests) registers its own, member-local bean under the same name first.
     */
    static void register(Object bean, ObjectName name) {
        synchronized (SERVER) {
            try {
                unregister(name);
                SERVER.registerMBean(bean, name);
            } catch (InstanceAlreadyExistsException e) {
                throw new CacheException("MBean " + name + " was registered concurrently", e);
            } catch (JMException e) {
                throw new CacheException("cannot register MBean " + name, e);
            }
        }
    }

    static void unregister(ObjectName name) {
        synchronized (SERVER) {
            try {
                if (SERVER.isRegistered(name)) {
                    SERVER.unregisterMBean(name);
                }
            } catch (InstanceNotFoundException gone) {
                // Someone else (an in-JVM member) removed it first: the outcome we want.
            } catch (JMException e) {
                throw new CacheException("cannot unregister MBean " + name, e);
            }
        }
    }
}
