package dev.lattice.client.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import javax.cache.integration.CacheLoader;

/** A read-through loader the tests name in lattice.client.jcache.caches.*.loader; runs on the member. */
public class QuoteLoader implements CacheLoader<String, String> {

    @Override
    public String load(String symbol) {
        // A symbol the "database" does not know: JCache then reports a miss.
        return symbol.startsWith("UNKNOWN") ? null : "loaded-" + symbol;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> symbols) {
        Map<String, String> loaded = new HashMap<>();
        symbols.forEach(symbol -> {
            String value = load(symbol);
            if (value != null) {
                loaded.put(symbol, value);
            }
        });
        return loaded;
    }
}
