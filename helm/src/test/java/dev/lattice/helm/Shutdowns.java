package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** SIGTERM to a node, as Kubernetes deletes a pod, with its probes watched until it has exited. */
final class Shutdowns {

    private Shutdowns() {
    }

    /** What a SIGTERM did: whether the process exited within the wait, how long it took, the probe rounds meanwhile. */
    record Shutdown(boolean exited, Duration took, List<ProbeWatch.Observation> seen) {
    }

    static Shutdown sigterm(PodProcess node, String readiness, String liveness, Duration wait) throws InterruptedException {
        try (ProbeWatch watch = ProbeWatch.start(node, readiness, liveness)) {
            long sigterm = System.nanoTime();
            node.sigterm();
            boolean exited = node.waitFor(wait);
            Duration took = Duration.ofNanos(System.nanoTime() - sigterm);
            return new Shutdown(exited, took, watch.stop().stream().filter(o -> o.nanoTime() >= sigterm).toList());
        }
    }

    /**
     * Readiness went down while liveness still answered 200; liveness never answered anything else,
     * and stopped answering only at the very end (the web server stops last); readiness never came back.
     */
    static void assertProbesDuringShutdown(List<ProbeWatch.Observation> seen) {
        assertThat(seen).as("probe rounds after SIGTERM").anyMatch(o -> o.readiness() == 503 && o.liveness() == 200);
        assertThat(seen).allSatisfy(o -> assertThat(o.liveness()).as("liveness during shutdown").isIn(200, -1));
        int firstSilence = indexOf(seen, o -> o.liveness() == -1);
        assertThat(seen.subList(firstSilence, seen.size())).as("liveness after the web server stopped").allMatch(o -> o.liveness() == -1);
        int firstNotReady = indexOf(seen, o -> o.readiness() != 200);
        assertThat(seen.subList(firstNotReady, seen.size())).as("readiness once down").noneMatch(o -> o.readiness() == 200);
    }

    private static int indexOf(List<ProbeWatch.Observation> seen, Predicate<ProbeWatch.Observation> condition) {
        for (int i = 0; i < seen.size(); i++) {
            if (condition.test(seen.get(i))) {
                return i;
            }
        }
        return seen.size();
    }
}
