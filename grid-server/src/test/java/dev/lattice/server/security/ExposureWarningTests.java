package dev.lattice.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A node reachable beyond loopback says so at startup; a node on loopback stays quiet. */
@ExtendWith(OutputCaptureExtension.class)
class ExposureWarningTests {

    @Test
    void memberOnANetworkInterface_warnsThatItsPortIsUnauthenticated(CapturedOutput output) throws Exception {
        List<InetAddress> external = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).toList();
        assumeTrue(!external.isEmpty(), "no non-loopback IPv4 address on this machine");
        String address = external.get(0).getHostAddress();
        try (GridNode ignored = GridNode.start("--lattice.cluster-name=exposed-" + UUID.randomUUID(),
                "--lattice.network.port=" + FreePorts.one(), "--lattice.network.interfaces=" + address,
                "--lattice.discovery.members=" + address)) {
            assertThat(output.getAll()).contains("SECURITY: the grid member listens on /" + address)
                    .contains("no TLS and no authentication");
        }
    }

    @Test
    void memberOnLoopback_logsNoWarning(CapturedOutput output) {
        try (GridNode ignored = GridNode.start("--lattice.cluster-name=quiet-" + UUID.randomUUID(),
                "--lattice.network.port=" + FreePorts.one())) {
            assertThat(output.getAll()).doesNotContain("SECURITY:");
        }
    }
}
