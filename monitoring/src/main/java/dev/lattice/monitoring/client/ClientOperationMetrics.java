package dev.lattice.monitoring.client;

import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Operation latency as the application sees it: {@link #timed} wraps a map so that its key
 * operations record a timer {@code lattice.client.map.operations} tagged {@code map},
 * {@code operation} and {@code outcome} ({@code success} or {@code failure}).
 *
 * <pre>{@code
 * IMap<String, Price> prices = ClientOperationMetrics.timed(registry, client.map("prices"));
 * }</pre>
 *
 * <p><b>Why a wrapper.</b> The Hazelcast client measures no operation latency of its own and has no
 * hook to add one; members measure only their side ({@code cache.gets.latency} and so on), which
 * leaves out the network, queueing in the client and retries. The wrapper sees the whole call,
 * near-cache hits included (they are the fast end of the histogram).
 *
 * <p>Timed operations: {@value #TIMED_LIST}; their {@code *Async} forms are timed until the
 * returned stage completes and share the synchronous form's tag. Everything else (queries,
 * listeners, locks) passes through untimed, which keeps the {@code operation} tag to a short,
 * fixed list. The timer publishes a histogram from 100 µs to 10 s so that Prometheus can give
 * percentiles across clients.
 */
public final class ClientOperationMetrics {

    /** The timer's name. */
    public static final String TIMER = "lattice.client.map.operations";

    static final String TIMED_LIST = "get, getAll, put, putAll, set, setAll, putIfAbsent, replace, remove, "
            + "delete, containsKey, executeOnKey";
    private static final Set<String> TIMED = Set.of(TIMED_LIST.split(", "));

    private ClientOperationMetrics() {
    }

    /** A view of {@code map} that times its key operations; {@code tags} are key/value pairs added to each. */
    public static <K, V> IMap<K, V> timed(MeterRegistry registry, IMap<K, V> map, String... tags) {
        return timed(registry, map, Tags.of(tags));
    }

    /** A view of {@code map} that times its key operations, with {@code tags} added to each timer. */
    @SuppressWarnings("unchecked")
    public static <K, V> IMap<K, V> timed(MeterRegistry registry, IMap<K, V> map, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(map, "map");
        Handler handler = new Handler(registry, map, Tags.concat(tags, "map", map.getName()));
        return (IMap<K, V>) Proxy.newProxyInstance(IMap.class.getClassLoader(), new Class<?>[] {IMap.class}, handler);
    }

    private static final class Handler implements InvocationHandler {

        private final MeterRegistry registry;
        private final IMap<?, ?> map;
        private final Tags tags;
        private final Map<String, Timer> timers = new ConcurrentHashMap<>();

        Handler(MeterRegistry registry, IMap<?, ?> map, Tags tags) {
            this.registry = registry;
            this.map = map;
            this.tags = tags;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            boolean async = name.endsWith("Async") && CompletionStage.class.isAssignableFrom(method.getReturnType());
            String operation = async ? name.substring(0, name.length() - "Async".length()) : name;
            if (!TIMED.contains(operation)) {
                return call(method, args);
            }
            long start = System.nanoTime();
            Object result;
            try {
                result = call(method, args);
            } catch (Throwable t) {
                record(operation, false, start);
                throw t;
            }
            if (async) {
                ((CompletionStage<?>) result).whenComplete((value, failure) -> record(operation, failure == null, start));
            } else {
                record(operation, true, start);
            }
            return result;
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(map, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private void record(String operation, boolean success, long start) {
            String outcome = success ? "success" : "failure";
            timers.computeIfAbsent(operation + ':' + outcome, key -> Timer.builder(TIMER)
                            .description("Map operations called through this client, as the caller waited for them")
                            .tags(tags).tag("operation", operation).tag("outcome", outcome)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(100_000))
                            .maximumExpectedValue(Duration.ofSeconds(10))
                            .register(registry))
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
