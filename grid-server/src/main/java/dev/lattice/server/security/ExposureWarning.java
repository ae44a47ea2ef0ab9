package dev.lattice.server.security;

import com.hazelcast.core.HazelcastInstance;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Says loudly, once the node runs, when its ports can be reached from other hosts. Hazelcast
 * Community Edition has no TLS and no member or client authentication: anyone who reaches the
 * member port can read and write every map and join the cluster, and the cluster name is not a
 * secret. That is fine behind a firewall or a NetworkPolicy, and dangerous anywhere else, so an
 * operator binding beyond loopback should hear it from the node itself (README "Security model").
 */
final class ExposureWarning implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ExposureWarning.class);

    private final HazelcastInstance member;
    private final Environment environment;

    ExposureWarning(HazelcastInstance member, Environment environment) {
        this.member = member;
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        InetSocketAddress memberAddress = member.getCluster().getLocalMember().getSocketAddress();
        boolean bindAny = Boolean.parseBoolean(member.getConfig().getProperty("hazelcast.socket.bind.any"));
        if (bindAny || !memberAddress.getAddress().isLoopbackAddress()) {
            log.warn("SECURITY: the grid member listens on {}{}: Hazelcast Community Edition has no TLS and no authentication,"
                    + " so anyone who can reach this port can read and write every map and join the cluster (the cluster name"
                    + " is not a secret). Allow only grid nodes and trusted clients to reach it (firewall, Kubernetes"
                    + " NetworkPolicy); see README.md, Security model.", bindAny ? "every interface (bind-any), advertised as "
                    : "", memberAddress);
        }
        String serverAddress = environment.getProperty("server.address");
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && !loopback(serverAddress)) {
            log.warn("SECURITY: the HTTP port {} listens on {}: health, info and prometheus answer anyone who can reach it;"
                    + " other actuator endpoints need the admin credentials. Keep it on a private network.",
                    web.getWebServer().getPort(), serverAddress == null ? "every interface" : serverAddress);
        }
    }

    private static boolean loopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
