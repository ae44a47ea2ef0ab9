package dev.lattice.client.autoconfigure;

import dev.lattice.client.LatticeClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/** Records which maps' near-cache meters the starter bound, so the binding is visible as a bean. */
public final class NearCacheMetricsRegistration {

    private final List<String> maps;

    private NearCacheMetricsRegistration(List<String> maps) {
        this.maps = List.copyOf(maps);
    }

    static NearCacheMetricsRegistration bind(LatticeClient latticeClient, MeterRegistry registry) {
        latticeClient.nearCacheMetrics(Tags.empty()).forEach(metrics -> metrics.bindTo(registry));
        return new NearCacheMetricsRegistration(latticeClient.nearCaches().keySet().stream()
                .filter(name -> name.indexOf('*') < 0)
                .sorted()
                .toList());
    }

    /** The maps whose near-cache meters are bound; patterns are not among them. */
    public List<String> maps() {
        return maps;
    }
}
