package dev.lattice.monitoring.client;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether a Hazelcast client is connected to its cluster, and how often it lost and regained it.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Base unit</th></tr>
 *   <tr><td>{@code lattice.client.connection.state}</td><td>gauge: 1 connected, 0 not</td><td>state</td></tr>
 *   <tr><td>{@code lattice.client.disconnect.events}</td><td>counter</td><td>events</td></tr>
 *   <tr><td>{@code lattice.client.reconnect.events}</td><td>counter</td><td>events</td></tr>
 * </table>
 *
 * <p>The counts come from the client's lifecycle events ({@code CLIENT_DISCONNECTED},
 * {@code CLIENT_CONNECTED}) seen after binding, so bind a client that has started: a
 * {@code LatticeClient} is connected when its builder returns. Losing one member while others
 * remain is not a disconnect; losing the whole cluster is. Hazelcast keeps no count of
 * connections per member in its public API, so there is none here.
 *
 * <p>Binding to several registries shares one listener and one set of counts. Call
 * {@link #close()} to remove the listener.
 */
public final class ClientConnectionMetrics implements MeterBinder, AutoCloseable {

    private static final String EVENTS = "events";

    private final HazelcastInstance client;
    private final Tags tags;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private UUID registration;

    /**
     * @param client a started Hazelcast client
     * @param tags   extra tags for every meter
     */
    public ClientConnectionMetrics(HazelcastInstance client, Iterable<Tag> tags) {
        this.client = Objects.requireNonNull(client, "client");
        this.tags = Tags.of(tags);
    }

    /** Binds the meters of {@code client} to {@code registry}; {@code tags} are key/value pairs. */
    public static ClientConnectionMetrics monitor(MeterRegistry registry, HazelcastInstance client, String... tags) {
        ClientConnectionMetrics metrics = new ClientConnectionMetrics(client, Tags.of(tags));
        metrics.bindTo(registry);
        return metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        listen();
        Gauge.builder("lattice.client.connection.state", connected, c -> c.get() ? 1 : 0)
                .description("1 while the client is connected to its cluster, 0 while it is not")
                .baseUnit("state").tags(tags).register(registry);
        FunctionCounter.builder("lattice.client.disconnect.events", disconnects, AtomicLong::get)
                .description("Times the client lost its connection to the whole cluster")
                .baseUnit(EVENTS).tags(tags).register(registry);
        FunctionCounter.builder("lattice.client.reconnect.events", reconnects, AtomicLong::get)
                .description("Times the client connected to the cluster again after losing it")
                .baseUnit(EVENTS).tags(tags).register(registry);
    }

    private synchronized void listen() {
        if (registration != null) {
            return;
        }
        // Registered before reading the state, so a change in between is not lost.
        registration = client.getLifecycleService().addLifecycleListener(this::onEvent);
        if (client.getLifecycleService().isRunning()) {
            connected.compareAndSet(false, true);
        }
    }

    private void onEvent(LifecycleEvent event) {
        LifecycleState state = event.getState();
        if (state == LifecycleState.CLIENT_CONNECTED) {
            if (!connected.getAndSet(true)) {
                reconnects.incrementAndGet();
            }
        } else if (state == LifecycleState.CLIENT_DISCONNECTED) {
            if (connected.getAndSet(false)) {
                disconnects.incrementAndGet();
            }
        } else if (state == LifecycleState.SHUTTING_DOWN || state == LifecycleState.SHUTDOWN) {
            connected.set(false);
        }
    }

    /** Removes the lifecycle listener; the meters stay registered and stop moving. */
    @Override
    public synchronized void close() {
        if (registration != null && client.getLifecycleService().isRunning()) {
            client.getLifecycleService().removeLifecycleListener(registration);
        }
        registration = null;
    }
}
