package dev.lattice.server.health;

import dev.lattice.server.persistence.MapLoads;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Readiness waits until every eager map has all its rows: before that, size() and queries would miss
 * some. Not while the member waits for more members to load at all (see {@link MapLoads}).
 */
final class MapLoadHealthIndicator extends AbstractHealthIndicator {

    private final MapLoads loads;

    MapLoadHealthIndicator(MapLoads loads) {
        super("Map load check failed");
        this.loads = loads;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Set<String> loading = new TreeSet<>(loads.loading());
        int missing = loads.membersMissing();
        if (loading.isEmpty()) {
            builder.up();
        } else if (missing > 0) {
            builder.up().withDetail("waiting", loading).withDetail("reason", "eager maps load once " + missing
                    + " more member(s) join (split-brain protection's minimum cluster size); writes are refused until then");
        } else {
            builder.down().withDetail("loading", loading).withDetail("reason", "eager maps still loading from their tables");
        }
    }
}
