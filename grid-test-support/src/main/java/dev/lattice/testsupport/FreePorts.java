package dev.lattice.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on loopback, well clear of Hazelcast's 5701 range (which another process on the
 * machine may hold) and **below the ephemeral range** (32768-60999 on Linux). Ports the operating
 * system hands out for {@code bind(0)} come from the ephemeral range, which is also where every
 * outgoing connection takes its local port: between choosing such a port and a member binding it,
 * a connection of another member, a client or a database pool could take it ("Port ... is already
 * in use", twice in CI), and two separate choices could even return the same port. Outgoing
 * connections never take a port below that range, and this JVM never hands out a port twice.
 */
public final class FreePorts {

    private static final int LOW = 20_000;
    private static final int HIGH = highestUsable();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** One free loopback port. */
    public static int one() {
        return distinct(1).get(0);
    }

    /** {@code count} distinct free loopback ports, none handed out before in this JVM. */
    public static List<Integer> distinct(int count) {
        List<Integer> ports = new ArrayList<>(count);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; ports.size() < count && attempt < 20_000; attempt++) {
            int port = random.nextInt(LOW, HIGH);
            if (!HANDED_OUT.contains(port) && allFree(port, 1) && HANDED_OUT.add(port)) {
                ports.add(port);
            }
        }
        if (ports.size() < count) {
            throw new IllegalStateException("could not find " + count + " free loopback ports in " + LOW + "-" + HIGH);
        }
        return List.copyOf(ports);
    }

    /**
     * The first of {@code count} consecutive free loopback ports: for tests of port auto-increment,
     * where members take port, port+1, ... on their own.
     */
    public static int consecutive(int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = random.nextInt(LOW, HIGH - count);
            boolean unused = true;
            for (int i = 0; i < count; i++) {
                unused &= !HANDED_OUT.contains(base + i);
            }
            if (unused && allFree(base, count)) {
                for (int i = 0; i < count; i++) {
                    HANDED_OUT.add(base + i);
                }
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback ports found in " + LOW + "-" + HIGH);
    }

    /**
     * Where this machine's ephemeral range starts, at most 32768 (Linux's default). A range starting
     * below 30000 would leave too few ports under it: there 20000-30000 is used anyway, overlapping it.
     */
    private static int highestUsable() {
        int start = 32_768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            start = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            // keep Linux's default
        }
        return Math.min(start, 32_768) >= 30_000 ? Math.min(start, 32_768) : 30_000;
    }

    private static boolean allFree(int base, int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress());
            }
            return true;
        } catch (IOException taken) {
            return false;
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // the port is released either way
        }
    }
}
