package dev.lattice.helm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Asks a node's readiness and liveness paths back to back, as fast as they answer, until stopped. */
final class ProbeWatch implements AutoCloseable {

    /** One round: the status codes (-1: nothing answered) and when the round started. */
    record Observation(long nanoTime, int readiness, int liveness) {
    }

    private final List<Observation> observations = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ProbeWatch(PodProcess node, String readinessPath, String livenessPath) {
        thread = new Thread(() -> {
            while (running) {
                long now = System.nanoTime();
                observations.add(new Observation(now, node.status(readinessPath), node.status(livenessPath)));
            }
        }, "probe-watch");
        thread.setDaemon(true);
    }

    static ProbeWatch start(PodProcess node, String readinessPath, String livenessPath) {
        ProbeWatch watch = new ProbeWatch(node, readinessPath, livenessPath);
        watch.thread.start();
        return watch;
    }

    /** Stops watching and returns every observation, oldest first. */
    List<Observation> stop() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(observations);
    }

    @Override
    public void close() {
        stop();
    }
}
