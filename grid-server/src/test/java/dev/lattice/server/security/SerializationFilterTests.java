package dev.lattice.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Any client that reaches the member port can make a member read an object graph. A gadget class
 * on the member's class path that runs code while it is read is refused before it is read; the
 * caller gets a clear error and the member keeps serving. A package the operator allows is read.
 */
class SerializationFilterTests {

    /** Stands for a gadget: reading it "runs code" (sets a flag). Not in any allowed package. */
    public static final class Gadget implements Serializable {
        static final AtomicBoolean EXECUTED = new AtomicBoolean();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            EXECUTED.set(true);
        }
    }

    /** An application value type in a package the operator allowed. */
    public record Order(String id) implements Serializable {
    }

    @Test
    void gadgetOutsideTheAllowList_isRefusedBeforeItIsRead_andTheMemberKeepsServing() {
        int port = FreePorts.one();
        String cluster = "filter-" + UUID.randomUUID();
        try (GridNode node = GridNode.start("--lattice.cluster-name=" + cluster, "--lattice.network.port=" + port,
                // OBJECT: the member reads values when they arrive, so the caller sees the refusal.
                "--lattice.maps.objects.in-memory-format=OBJECT");
             LatticeClient client = LatticeClient.builder().clusterName(cluster).addresses("127.0.0.1:" + port).build()) {
            IMap<String, Object> objects = client.map("objects");

            assertThatThrownBy(() -> objects.set("payload", new Gadget()))
                    .hasMessageContaining("Resolving class " + Gadget.class.getName() + " is not allowed");
            assertThat(Gadget.EXECUTED).as("the gadget's readObject never ran on the member").isFalse();

            objects.set("after", "still serving");
            assertThat(objects.get("after")).isEqualTo("still serving");
            assertThat(node.member().getLifecycleService().isRunning()).isTrue();
        }
    }

    @Test
    void classInAnAllowedPackage_andTheJdksValueTypes_areRead() throws Exception {
        int port = FreePorts.one();
        String cluster = "filter-" + UUID.randomUUID();
        try (GridNode ignored = GridNode.start("--lattice.cluster-name=" + cluster, "--lattice.network.port=" + port,
                "--lattice.maps.objects.in-memory-format=OBJECT",
                "--lattice.serialization.allowed-packages=dev.lattice.server.security.");
             LatticeClient client = LatticeClient.builder().clusterName(cluster).addresses("127.0.0.1:" + port).build()) {
            IMap<String, Object> objects = client.map("objects");
            objects.set("o1", new Order("o1"));
            assertThat(objects.get("o1")).isEqualTo(new Order("o1"));

            // A calendar carries its zone as sun.util.calendar.ZoneInfo: refusing all of sun.* broke it.
            GregorianCalendar when = new GregorianCalendar(TimeZone.getTimeZone("Europe/Berlin"));
            Map<String, Object> values = new HashMap<>(Map.of("amount", new BigDecimal("12.50"), "lines", new ArrayList<>(List.of(1, 2))));
            objects.set("calendar", when);
            objects.set("values", values);
            assertThat(objects.get("calendar")).isEqualTo(when);
            assertThat(objects.get("values")).isEqualTo(values);

            // JCache factories that name a host carry an InetAddress (the JSR-107 TCK's do).
            InetAddress host = InetAddress.getByAddress("db", new byte[] {10, 0, 0, 7});
            objects.set("host", host);
            assertThat(objects.get("host")).isEqualTo(host);
        }
    }
}
