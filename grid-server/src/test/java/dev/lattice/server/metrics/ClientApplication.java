package dev.lattice.server.metrics;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.sun.net.httpserver.HttpServer;
import dev.lattice.client.LatticeClient;
import dev.lattice.client.NearCacheOptions;
import dev.lattice.monitoring.client.ClientConnectionMetrics;
import dev.lattice.monitoring.client.ClientOperationMetrics;
import dev.lattice.monitoring.client.NearCacheMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application using the grid the way the docs tell a library user to: a {@link LatticeClient}
 * with a near cache, its meters bound with the monitoring module's binders, served at
 * {@code /metrics} for Prometheus, and a steady trickle of reads and writes.
 */
final class ClientApplication implements AutoCloseable {

    private final LatticeClient client;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer http;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    ClientApplication(List<String> addresses, String clusterName) throws IOException {
        client = LatticeClient.builder().addresses(addresses).clusterName(clusterName)
                .nearCache("prices", NearCacheOptions.defaults()).build();
        NearCacheMetrics.monitor(registry, client.map("prices"), NearCacheOptions.defaults().inMemoryFormat());
        ClientConnectionMetrics.monitor(registry, client.hazelcast());
        IMap<String, String> prices = ClientOperationMetrics.timed(registry, client.<String, String>map("prices"));
        IMap<Long, HazelcastJsonValue> orders = ClientOperationMetrics.timed(registry, client.<Long, HazelcastJsonValue>map("orders"));

        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();

        // Work: writes behind to the database, reads through the near cache, now and then a miss
        // that the loader reads from the table, and a remove.
        worker.scheduleWithFixedDelay(() -> {
            long tick = ticks.incrementAndGet();
            try {
                orders.set(tick % 200, new HazelcastJsonValue("{\"tick\":" + tick + "}"));
                prices.put("p" + (tick % 20), Long.toString(tick));
                prices.get("p" + (tick % 40));
                orders.get(100_000 + tick % 50);
                if (tick % 10 == 0) {
                    prices.remove("p" + (tick % 20));
                }
            } catch (RuntimeException e) {
                // A member leaving mid-call: the timer counted it as a failure; keep working.
                failures.incrementAndGet();
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** A value the database rejects (not JSON for a jsonb column): it becomes a dead letter. */
    void writePoison() {
        client.<String, HazelcastJsonValue>map("poison").set("bad", new HazelcastJsonValue("{not json"));
    }

    int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        client.close();
    }
}
