package dev.lattice.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Hosts on one machine: a Linux network namespace per node, joined by a bridge in the test's
 * namespace (which also reaches the database through the bridge's address). A network partition
 * is a blackhole route between two sides: packets vanish, as on a real cut link, with no reset.
 * Needs root and iproute2 (CI runs as root); {@link #available()} says whether this machine can.
 */
final class IsolatedHosts implements AutoCloseable {

    /** Hosts not yet closed: a run cut short by its timeout, or a test JVM that exits, still removes them. */
    private static final Set<IsolatedHosts> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(IsolatedHosts::close),
                "isolated-hosts-cleanup"));
    }

    private final String id;
    private final int subnet;
    private final int hosts;
    private final List<String> routes = new ArrayList<>();

    private IsolatedHosts(String id, int subnet, int hosts) {
        this.id = id;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /** Whether network namespaces can be made here (root, iproute2). */
    static boolean available() {
        String probe = "ltprobe" + Integer.toHexString(new Random().nextInt(0xffff));
        try {
            run("ip", "netns", "add", probe);
            run("ip", "netns", "del", probe);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static IsolatedHosts create(int hosts) {
        Random random = new Random();
        IsolatedHosts isolated = new IsolatedHosts(Integer.toHexString(0x1000 + random.nextInt(0xefff)), 1 + random.nextInt(250), hosts);
        OPEN.add(isolated);
        try {
            isolated.build();
        } catch (RuntimeException e) {
            isolated.close();
            throw e;
        }
        return isolated;
    }

    private void build() {
        run("ip", "link", "add", bridge(), "type", "bridge");
        run("ip", "addr", "add", bridgeAddress() + "/24", "dev", bridge());
        run("ip", "link", "set", bridge(), "up");
        for (int i = 0; i < hosts; i++) {
            run("ip", "netns", "add", namespace(i));
            run("ip", "link", "add", "lt" + id + "h" + i, "type", "veth", "peer", "name", "lt" + id + "n" + i);
            run("ip", "link", "set", "lt" + id + "h" + i, "master", bridge());
            run("ip", "link", "set", "lt" + id + "h" + i, "up");
            run("ip", "link", "set", "lt" + id + "n" + i, "netns", namespace(i));
            inside(i, "ip", "addr", "add", address(i) + "/24", "dev", "lt" + id + "n" + i);
            inside(i, "ip", "link", "set", "lt" + id + "n" + i, "up");
            inside(i, "ip", "link", "set", "lo", "up");
        }
    }

    private String bridge() {
        return "ltbr" + id;
    }

    private String namespace(int host) {
        return "lattice-" + id + "-" + host;
    }

    /** The host side of the bridge: where the database proxy listens. */
    String bridgeAddress() {
        return "10.231." + subnet + ".1";
    }

    String address(int host) {
        return "10.231." + subnet + "." + (10 + host);
    }

    /** The command prefix that runs a process on {@code host}. */
    List<String> launcher(int host) {
        return List.of("ip", "netns", "exec", namespace(host));
    }

    /** Cuts every link between the two sides, both directions. */
    void partition(Set<Integer> one, Set<Integer> other) {
        for (int a : one) {
            for (int b : other) {
                blackhole(a, b);
                blackhole(b, a);
            }
        }
    }

    private void blackhole(int from, int to) {
        inside(from, "ip", "route", "add", "blackhole", address(to) + "/32");
        routes.add(from + " " + address(to));
    }

    /** Removes every cut. */
    void heal() {
        for (String route : routes) {
            String[] parts = route.split(" ");
            inside(Integer.parseInt(parts[0]), "ip", "route", "del", "blackhole", parts[1] + "/32");
        }
        routes.clear();
    }

    private void inside(int host, String... command) {
        List<String> full = new ArrayList<>(launcher(host));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    /**
     * Runs a command to its end. An interrupt (a run cut short by its timeout) does not abandon it:
     * the cleanup in {@link #close} runs on that interrupted thread and must still remove the hosts.
     */
    private static void run(String... command) {
        boolean interrupted = Thread.interrupted();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean exited = false;
            while (!exited && System.nanoTime() < deadline) {
                try {
                    exited = process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!exited || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (!OPEN.remove(this)) {
            return;
        }
        for (int i = 0; i < hosts; i++) {
            try {
                run("ip", "netns", "del", namespace(i));
            } catch (RuntimeException e) {
                // never created
            }
        }
        try {
            run("ip", "link", "del", bridge());
        } catch (RuntimeException e) {
            // never created
        }
    }
}
