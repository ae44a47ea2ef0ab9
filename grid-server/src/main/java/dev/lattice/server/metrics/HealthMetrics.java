package dev.lattice.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code lattice.health.state{check}}: 1 while a health check of this node is UP, 0 while it is
 * anything else, so alerts can see what the probes see. Checks: {@code readiness} (the group
 * Kubernetes' readiness probe asks) and {@code database} (the loader's connection), the latter
 * only when the node has such a contributor. A check is evaluated at each scrape, as a probe
 * would; readiness asks every member whether it is safe, which is cheap next to a scrape interval.
 */
final class HealthMetrics implements MeterBinder {

    /** Health paths published, in the order of {@code /actuator/health/<path>}. */
    static final List<String> CHECKS = List.of("readiness", "database");

    private final HealthEndpoint endpoint;

    HealthMetrics(HealthEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String check : CHECKS) {
            if (endpoint.healthForPath(check) == null) {
                continue; // no such group or contributor on this node: no series rather than a fake 0
            }
            Gauge.builder("lattice.health.state", endpoint, e -> up(e, check))
                    .description("1 while this health check of the node is UP, 0 while it is DOWN, OUT_OF_SERVICE or UNKNOWN")
                    .baseUnit("state")
                    .tag("check", check)
                    .register(registry);
        }
    }

    private static double up(HealthEndpoint endpoint, String check) {
        HealthDescriptor health = endpoint.healthForPath(check);
        return health != null && Status.UP.equals(health.getStatus()) ? 1 : 0;
    }
}
