package dev.lattice.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The actuator's operations: the operator's credential or nothing, no generated password in the
 * log, no state change from a cross-site form, and health's components only for the operator.
 */
@ExtendWith(OutputCaptureExtension.class)
class ActuatorSecurityTests {

    @Test
    void withoutAnOperatorPassword_operationsRefuseEveryone_andNoPasswordIsGenerated(CapturedOutput output) {
        try (GridNode node = GridNode.start("--lattice.cluster-name=nopass-" + UUID.randomUUID(),
                "--lattice.network.port=" + FreePorts.one(),
                "--management.endpoints.web.exposure.include=health,info,prometheus,latticeconfig,deadletters")) {
            assertThat(node.get("/actuator/latticeconfig").statusCode()).isIn(401, 403);
            assertThat(node.get("/actuator/latticeconfig", "admin", "admin").statusCode()).isIn(401, 403);
            assertThat(node.get("/actuator/deadletters", "user", "").statusCode()).isIn(401, 403);
            node.awaitReady(); // the probe answers anonymous callers
            assertThat(output.getAll()).doesNotContain("Using generated security password");
        }
    }

    @Test
    void stateChangesNeedJson_soABrowsersCrossSiteFormCanNotReplayADeadLetter() {
        String password = "p-" + UUID.randomUUID();
        try (GridNode node = GridNode.start("--lattice.cluster-name=csrf-" + UUID.randomUUID(),
                "--lattice.network.port=" + FreePorts.one(), "--lattice.admin.password=" + password,
                "--management.endpoints.web.exposure.include=health,deadletters")) {
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
            URI replay = URI.create("http://127.0.0.1:" + node.httpPort() + "/actuator/deadletters/records/1");

            HttpResponse<String> form = node.send(HttpRequest.newBuilder(replay).header("Authorization", basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("x=1")).build());
            assertThat(form.statusCode()).as("a form post, what a cross-site page can make a browser send").isEqualTo(415);
            HttpResponse<String> plain = node.send(HttpRequest.newBuilder(replay).header("Authorization", basic)
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build());
            assertThat(plain.statusCode()).isEqualTo(415);

            HttpResponse<String> json = node.send(HttpRequest.newBuilder(replay).header("Authorization", basic)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(json.statusCode()).as("the operator's JSON call gets through").isEqualTo(200);
            assertThat(json.body()).as("there is no such letter").isEqualTo("false");
        }
    }

    @Test
    void healthComponents_areShownToTheOperatorOnly() {
        String password = "p-" + UUID.randomUUID();
        try (GridNode node = GridNode.start("--lattice.cluster-name=health-" + UUID.randomUUID(),
                "--lattice.network.port=" + FreePorts.one(), "--lattice.admin.password=" + password)) {
            assertThat(node.get("/actuator/health").body()).doesNotContain("components").doesNotContain("database");
            assertThat(node.get("/actuator/health", "admin", password).body()).contains("\"database\"");
            assertThat(node.get("/actuator/health/readiness").body()).as("readiness explains itself to orchestrators")
                    .contains("members");
        }
    }
}
