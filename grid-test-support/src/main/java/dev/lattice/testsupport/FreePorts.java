package dev.lattice.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Free TCP ports on loopback. The operating system hands out ephemeral ports (32768 and up on
 * Linux), so a test never lands in Hazelcast's default 5701 range, which another process on the
 * machine may hold.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** One free loopback port. */
    public static int one() {
        return distinct(1).get(0);
    }

    /**
     * {@code count} distinct free loopback ports. All sockets are held open until every port is
     * chosen, so the same port is never returned twice.
     */
    public static List<Integer> distinct(int count) {
        Set<Integer> ports = new LinkedHashSet<>();
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets[i].setReuseAddress(true);
                ports.add(sockets[i].getLocalPort());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not find " + count + " free loopback ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
        return List.copyOf(ports);
    }

    /**
     * The first of {@code count} consecutive free loopback ports, from a range well clear of
     * Hazelcast's 5701 default: for tests of port auto-increment, where members take port,
     * port+1, ... on their own.
     */
    public static int consecutive(int count) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = random.nextInt(20_000, 30_000);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback ports found in 20000-30000");
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
