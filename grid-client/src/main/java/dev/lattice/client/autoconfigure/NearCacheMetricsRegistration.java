package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClient;
import dev.lattice.monitoring.client.NearCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Records which maps' near-cache meters the starter bound, so the binding is visible as a bean.
 * Patterns such as {@code prices-*} are left out: which maps they will match is not known in
 * advance, so bind those with {@link NearCacheMetrics} once the map is in use.
 */
public final class NearCacheMetricsRegistration {

    private final List<String> maps;

    private NearCacheMetricsRegistration(List<String> maps) {
        this.maps = List.copyOf(maps);
    }

    static NearCacheMetricsRegistration bind(LatticeClient latticeClient, MeterRegistry registry) {
        List<String> exactNames = latticeClient.nearCaches().keySet().stream()
                .filter(name -> name.indexOf('*') < 0)
                .sorted()
                .toList();
        for (String name : exactNames) {
            new NearCacheMetrics(latticeClient.map(name), latticeClient.nearCaches().get(name).inMemoryFormat(), Tags.empty())
                    .bindTo(registry);
        }
        return new NearCacheMetricsRegistration(exactNames);
    }

    /** The maps whose near-cache meters are bound; patterns are not among them. */
    public List<String> maps() {
        return maps;
    }
}
