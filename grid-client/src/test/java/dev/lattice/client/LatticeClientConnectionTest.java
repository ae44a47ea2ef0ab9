package dev.lattice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.testsupport.FreePorts;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Connection retry settings as the running client applies them. */
class LatticeClientConnectionTest {

    @Test
    void clusterConnectTimeout_noMemberListening_givesUpWithinTimeout() {
        LatticeClientBuilder builder = LatticeClient.builder()
                .addresses("127.0.0.1:" + FreePorts.one())
                .clusterName("nobody-home")
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(200))
                .clusterConnectTimeout(Duration.ofSeconds(2));
        Instant start = Instant.now();

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Unable to connect");

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
    }
}
