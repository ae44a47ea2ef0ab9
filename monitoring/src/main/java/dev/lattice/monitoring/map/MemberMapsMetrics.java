package dev.lattice.monitoring.map;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.DistributedObjectEvent;
import com.hazelcast.core.DistributedObjectListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link MapMetrics} for every map of a member: those that exist when it is bound and those
 * created later (by any member or client), removed again when a map is destroyed. Hazelcast's
 * internal maps (names starting with {@code __}) are left out.
 *
 * <p>The map meters read Hazelcast statistics at each scrape, and some of Micrometer's throw once
 * the member has stopped, which would fail the whole scrape. So they are removed as soon as the
 * member starts shutting down; the cluster and partition meters stay (they read NaN then).
 *
 * <p>Call {@link #close()} to remove the listeners.
 */
public final class MemberMapsMetrics implements MeterBinder, AutoCloseable {

    /** {@code MapService.SERVICE_NAME}, which lives in an internal package. */
    private static final String MAP_SERVICE = "hz:impl:mapService";

    private final HazelcastInstance member;
    private final Tags tags;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    /** The binders stay referenced here while their meters are registered. */
    private final Map<String, MapMetrics> bound = new ConcurrentHashMap<>();
    private UUID objectListener;
    private UUID lifecycleListener;

    /**
     * @param member a running member (not a client)
     * @param tags   extra tags for every meter, besides {@code map}
     */
    public MemberMapsMetrics(HazelcastInstance member, Iterable<Tag> tags) {
        this.member = Objects.requireNonNull(member, "member");
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        listen();
        for (DistributedObject object : member.getDistributedObjects()) {
            if (isUserMap(object.getServiceName(), object.getName())) {
                bind(registry, object.getName());
            }
        }
    }

    /** The maps whose meters are bound now. */
    public Set<String> maps() {
        return Set.copyOf(bound.keySet());
    }

    private synchronized void listen() {
        if (objectListener != null) {
            return;
        }
        objectListener = member.addDistributedObjectListener(new DistributedObjectListener() {
            @Override
            public void distributedObjectCreated(DistributedObjectEvent event) {
                if (isUserMap(event.getServiceName(), event.getObjectName().toString())) {
                    registries.forEach(registry -> bind(registry, event.getObjectName().toString()));
                }
            }

            @Override
            public void distributedObjectDestroyed(DistributedObjectEvent event) {
                if (isUserMap(event.getServiceName(), event.getObjectName().toString())) {
                    unbind(event.getObjectName().toString());
                }
            }
        });
        lifecycleListener = member.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleState.SHUTTING_DOWN) {
                Set.copyOf(bound.keySet()).forEach(this::unbind);
            }
        });
    }

    private void bind(MeterRegistry registry, String name) {
        if (!member.getLifecycleService().isRunning()) {
            return;
        }
        IMap<Object, Object> map = member.getMap(name);
        bound.computeIfAbsent(name, key -> new MapMetrics(map, tags)).bindTo(registry);
    }

    private void unbind(String name) {
        bound.remove(name);
        for (MeterRegistry registry : registries) {
            for (Meter meter : registry.getMeters()) {
                Meter.Id id = meter.getId();
                if (name.equals(id.getTag(MapMetrics.MAP_TAG)) && isMapMeter(id.getName())) {
                    registry.remove(meter);
                }
            }
        }
    }

    /** The map's own meters; the loader's {@code lattice.mapstore.*} meters carry the same tag and stay. */
    private static boolean isMapMeter(String meterName) {
        return meterName.startsWith("cache.") || meterName.startsWith("lattice.map.");
    }

    private static boolean isUserMap(String serviceName, String name) {
        return MAP_SERVICE.equals(serviceName) && !name.startsWith("__");
    }

    /** Removes the listeners; meters already bound stay until their map is destroyed. */
    @Override
    public synchronized void close() {
        if (objectListener != null && member.getLifecycleService().isRunning()) {
            member.removeDistributedObjectListener(objectListener);
            member.getLifecycleService().removeLifecycleListener(lifecycleListener);
        }
        objectListener = null;
        lifecycleListener = null;
    }
}
