package dev.lattice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.map.IMap;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input at the boundaries of a running node: garbage on its ports, and entries its table can
 * not hold. Each fails clearly or is parked in the dead-letter table; nothing stored is lost, the
 * node stays up, and the writes behind a bad entry keep flowing.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BadInputFaultTests {

    /** A class the client has and the node does not: the node can keep it, but not turn it into a text row. */
    record ClientOnly(String name) implements Serializable {
    }

    @Test
    void garbageOnTheMemberAndHttpPorts_leavesTheNodeUpAndItsDataIntact() throws Exception {
        try (Scenario s = Scenario.start("garbage on member and HTTP ports", 1, Scenario.seed())) {
            GridProcess node = s.grid.node(0);
            IMap<String, String> map = s.map();
            map.set("before", "intact");
            Random random = new Random(Scenario.seed());
            for (int port : new int[] {node.memberPort(), node.httpPort()}) {
                for (int connection = 0; connection < 20; connection++) {
                    sendGarbage(port, random, 1 + random.nextInt(256 * 1024));
                }
            }
            assertThat(node.alive()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(node::ready);
            map.set("after", "works");
            assertThat(map.get("before")).isEqualTo("intact");
            assertThat(map.get("after")).isEqualTo("works");
            await().atMost(Duration.ofSeconds(30)).until(() -> "intact".equals(s.database.rows(Grid.MAP).get("before")));
        }
    }

    @Test
    void entriesTheTableCanNotHold_areParked_andTheWritesBehindThemLand() throws Exception {
        try (Scenario s = Scenario.start("entries the table can not hold", 1, Scenario.seed())) {
            IMap<String, Object> map = s.grid.client().map(Grid.MAP);
            // A key over PostgreSQL's btree limit (about 2.7 kB per index row, after compression: so random).
            map.set(randomText(new Random(Scenario.seed()), 10_000), "long key");
            // A NUL character, which PostgreSQL's text type refuses.
            map.set("nul", "before\u0000after");
            // A value of a class only the client has.
            map.set("client-only", new ClientOnly("alice"));
            // A large but valid value.
            map.set("large", "x".repeat(8 * 1024 * 1024));
            for (int i = 0; i < 200; i++) {
                map.set("good-" + i, "v" + i);
            }
            assertThatThrownBy(() -> map.set("unserializable", new Object()))
                    .hasMessageContaining("java.lang.Object");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(s.database.rows(Grid.MAP)).containsKey("good-199").containsKey("large");
                assertThat(s.deadLetters()).as("the three bad entries are parked").isEqualTo(3);
            });
            assertThat(s.database.count("SELECT count(*) FROM lattice_dead_letter WHERE value_encoding = 'base64'"))
                    .as("the NUL value kept in a safe encoding").isEqualTo(1);
            assertThat(map.get("nul")).as("the grid still holds it").isEqualTo("before\u0000after");
            assertThat(s.grid.node(0).alive()).isTrue();
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('!' + random.nextInt(90)));
        }
        return text.toString();
    }

    private static void sendGarbage(int port, Random random, int bytes) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2_000);
            byte[] garbage = new byte[bytes];
            random.nextBytes(garbage);
            OutputStream out = socket.getOutputStream();
            out.write(garbage);
            out.flush();
        } catch (IOException e) {
            // The node may close the connection mid-write: that is the point.
        }
    }
}
