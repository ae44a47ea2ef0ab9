package dev.lattice.helm;

import static dev.lattice.helm.ChartRenderingTests.containerPort;
import static dev.lattice.helm.ChartRenderingTests.mount;
import static dev.lattice.helm.ChartRenderingTests.mountOfVolume;
import static dev.lattice.helm.ChartRenderingTests.volume;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Optional objects appear only when enabled, and each one fits the rest of the release. */
class ChartFeaturesTests {

    @Test
    void optionalObjects_areOffByDefault() {
        RenderedChart chart = HelmChart.defaults().render();

        assertThat(chart.all(NetworkPolicy.class)).isEmpty();
        assertThat(chart.all("ServiceMonitor")).isEmpty();
        assertThat(chart.all("PrometheusRule")).isEmpty();
        assertThat(chart.find(ConfigMap.class, HelmChart.FULLNAME + "-dashboards")).isEmpty();
        assertThat(chart.config().get("lattice.extensions")).isNull();
        assertThat(chart.config().get("lattice.admin")).as("no operator access unless a secret is named").isNull();
        assertThat(chart.statefulSet().getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();
        assertThat(chart.all("Role")).as("DNS discovery: no Kubernetes API access").isEmpty();
        assertThat(chart.all("RoleBinding")).isEmpty();
    }

    @Test
    void databaseConnectionsAndWriters_reachTheNodesConfiguration() {
        assertThat(HelmChart.defaults().render().config().string("lattice.datasource.write-parallelism")).isEqualTo("2");

        RenderedChart chart = HelmChart.defaults().set("database.poolSize", "8").set("database.writeParallelism", "4").render();

        assertThat(chart.config().string("lattice.datasource.pool-size")).isEqualTo("8");
        assertThat(chart.config().string("lattice.datasource.write-parallelism")).isEqualTo("4");
    }

    /** API discovery: a read-only Role in the release's namespace, bound to the pods' account, whose token is mounted. */
    @Test
    void apiDiscovery_readsTheHeadlessServicesEndpointsWithANamespacedReadOnlyRole() {
        RenderedChart chart = HelmChart.defaults().set("discovery.mode", "api").render();
        var pod = chart.statefulSet().getSpec().getTemplate().getSpec();

        assertThat(chart.config().string("lattice.discovery.mode")).isEqualTo("kubernetes");
        assertThat(chart.config().string("lattice.discovery.service-name")).isEqualTo(HelmChart.FULLNAME + "-headless");
        assertThat(chart.find(Service.class, HelmChart.FULLNAME + "-headless")).isPresent();
        assertThat(chart.config().string("lattice.discovery.namespace")).isEqualTo(HelmChart.NAMESPACE);
        assertThat(chart.config().get("lattice.discovery.service-dns")).as("one mode at a time").isNull();
        assertThat(pod.getAutomountServiceAccountToken()).as("the API needs the token").isTrue();

        var role = chart.all("Role").get(0);
        @SuppressWarnings("unchecked")
        List<Map<String, List<String>>> rules = (List<Map<String, List<String>>>) role.getAdditionalProperties().get("rules");
        assertThat(rules).allSatisfy(rule -> assertThat(rule.get("verbs")).containsExactlyInAnyOrder("get", "list"));
        assertThat(rules).flatExtracting(rule -> rule.get("resources"))
                .containsExactlyInAnyOrder("endpoints", "pods", "services", "endpointslices");
        assertThat(chart.all("ClusterRole")).as("nothing cluster-wide").isEmpty();

        var binding = chart.all("RoleBinding").get(0).getAdditionalProperties();
        assertThat(binding.get("roleRef")).asString().contains("name=" + role.getMetadata().getName());
        assertThat(binding.get("subjects")).asString().contains("name=" + pod.getServiceAccountName())
                .contains("namespace=" + HelmChart.NAMESPACE);
    }

    @Test
    void networkPolicy_admitsTheMemberPortOnlyFromMembersAndLabelledClients() {
        RenderedChart chart = HelmChart.scenario(HelmChart.scenario("all-features")).render();
        Map<String, String> podLabels = chart.statefulSet().getSpec().getTemplate().getMetadata().getLabels();

        NetworkPolicy policy = chart.all(NetworkPolicy.class).get(0);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        NetworkPolicyIngressRule memberRule = rule(policy, "member");
        assertThat(memberRule.getFrom()).hasSize(2);
        assertThat(podLabels).as("members reach each other").containsAllEntriesOf(memberRule.getFrom().get(0).getPodSelector().getMatchLabels());
        assertThat(memberRule.getFrom().get(0).getNamespaceSelector()).as("members: this namespace").isNull();
        assertThat(memberRule.getFrom().get(1).getPodSelector().getMatchLabels()).containsExactly(Map.entry("lattice.dev/client", "true"));
        assertThat(memberRule.getFrom().get(1).getNamespaceSelector().getMatchLabels()).containsEntry("lattice.dev/clients", "allowed");
        assertThat(rule(policy, "http").getFrom()).as("probes and scrapes from anywhere").isNullOrEmpty();
        assertThat(containerPort(chart.gridServer(), "member")).isEqualTo(5701);
    }

    /** The node refuses the operator endpoints without a password; the chart passes one only as a mounted file. */
    @Test
    void operatorPassword_comesFromTheSecretAsAFile() {
        RenderedChart chart = HelmChart.defaults().set("admin.existingSecret", "lattice-admin").set("admin.passwordKey", "pw")
                .set("admin.user", "ops").render();

        assertThat(chart.config().string("lattice.admin.user")).isEqualTo("ops");
        assertThat(chart.config().get("lattice.admin.password")).isNull();
        assertThat(chart.config().string("lattice.admin.password-file"))
                .isEqualTo(mountOfVolume(chart.gridServer(), "admin-password").getMountPath() + "/password");
        var secret = volume(chart, "admin-password").getSecret();
        assertThat(secret.getSecretName()).isEqualTo("lattice-admin");
        assertThat(secret.getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo("pw");
            assertThat(item.getPath()).isEqualTo("password");
        });
    }

    @Test
    void externalDatabase_passwordComesFromTheSecretAsAFile_andNoEmbeddedDatabaseIsConfigured() {
        RenderedChart chart = HelmChart.scenario(HelmChart.scenario("external-database")).render();
        GridConfig config = chart.config();
        Container container = chart.gridServer();

        assertThat(config.string("lattice.datasource.url")).isEqualTo("jdbc:postgresql://postgres.db.svc.cluster.local:5432/lattice");
        assertThat(config.string("lattice.datasource.user")).isEqualTo("lattice");
        assertThat(config.get("lattice.datasource.password")).isNull();
        assertThat(config.get("lattice.datasource.embedded")).isNull();
        String passwordFile = config.string("lattice.datasource.password-file");
        var secretMount = mountOfVolume(container, "database-password");
        assertThat(passwordFile).isEqualTo(secretMount.getMountPath() + "/password");
        var secret = volume(chart, "database-password").getSecret();
        assertThat(secret.getSecretName()).isEqualTo("lattice-db");
        assertThat(secret.getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo("password");
            assertThat(item.getPath()).isEqualTo("password");
        });
        assertThat(String.join("\n", chart.objects().stream().map(Object::toString).toList())).doesNotContain("secret-password");
    }

    @Test
    void externalDatabase_stillKeepsTheSpoolOnAClaimPerPod() {
        RenderedChart chart = HelmChart.scenario(HelmChart.scenario("external-database")).render();

        assertThat(chart.statefulSet().getSpec().getVolumeClaimTemplates()).singleElement()
                .satisfies(claim -> assertThat(claim.getMetadata().getName()).isEqualTo("data"));
        assertThat(volume(chart, "data")).as("a claim, not a pod volume").isNull();
        var retention = chart.statefulSet().getSpec().getPersistentVolumeClaimRetentionPolicy();
        assertThat(retention.getWhenDeleted()).as("claims outlive helm uninstall").isEqualTo("Retain");
        assertThat(retention.getWhenScaled()).as("and a scale-down").isEqualTo("Retain");
        assertThat(chart.config().string("lattice.datasource.spool-directory"))
                .startsWith(mountOfVolume(chart.gridServer(), "data").getMountPath() + "/");
    }

    @Test
    void embeddedDatabase_keepsItsFilesOnAClaimPerPod_nextToTheSpool() {
        RenderedChart chart = HelmChart.defaults().render();

        String dataDir = chart.config().string("lattice.datasource.embedded.data-dir");
        var claim = chart.statefulSet().getSpec().getVolumeClaimTemplates();
        assertThat(claim).singleElement().satisfies(c -> {
            assertThat(c.getMetadata().getName()).isEqualTo("data");
            assertThat(c.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
            assertThat(c.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        });
        String data = mountOfVolume(chart.gridServer(), "data").getMountPath();
        assertThat(dataDir).startsWith(data + "/");
        assertThat(chart.config().string("lattice.datasource.spool-directory")).startsWith(data + "/").isNotEqualTo(dataDir);
        assertThat(chart.config().get("lattice.datasource.url")).isNull();
    }

    @Test
    void persistence_setsTheClaimsStorageClassSizeAndAccessModes() {
        RenderedChart chart = HelmChart.defaults().set("persistence.storageClass", "fast-ssd").set("persistence.size", "10Gi")
                .set("persistence.accessModes[0]", "ReadWriteOncePod").render();

        var claim = chart.statefulSet().getSpec().getVolumeClaimTemplates().get(0);
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOncePod");
    }

    @ParameterizedTest(name = "database.url={0}")
    @ValueSource(strings = {"", "jdbc:postgresql://pg:5432/lattice"})
    void withoutPersistence_theDataVolumeIsAnEmptyDir(String url) {
        RenderedChart chart = HelmChart.defaults().set("persistence.enabled", false).set("database.url", url).render();

        assertThat(chart.statefulSet().getSpec().getVolumeClaimTemplates()).isEmpty();
        assertThat(volume(chart, "data").getEmptyDir()).isNotNull();
        assertThat(chart.config().string("lattice.datasource.spool-directory"))
                .startsWith(mountOfVolume(chart.gridServer(), "data").getMountPath() + "/");
    }

    @Test
    void extensionsFromAnImage_areCopiedIntoTheDirectoryGridServerReads() {
        RenderedChart chart = HelmChart.scenario(HelmChart.scenario("extensions")).render();
        String dir = chart.config().string("lattice.extensions.dir");

        var init = chart.statefulSet().getSpec().getTemplate().getSpec().getInitContainers();
        assertThat(init).singleElement().satisfies(copy -> {
            assertThat(copy.getImage()).isEqualTo("registry.example.com/orders/grid-extensions:1.4.2");
            String target = mountOfVolume(copy, "extensions").getMountPath();
            assertThat(copy.getCommand()).containsExactly("cp", "-R", "/extensions/.", target + "/");
            assertThat(copy.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        });
        assertThat(dir).isEqualTo("/opt/lattice/extensions");
        assertThat(mount(chart.gridServer(), dir).getName()).isEqualTo("extensions");
        assertThat(mount(chart.gridServer(), dir).getReadOnly()).isTrue();
        assertThat(volume(chart, "extensions").getEmptyDir()).isNotNull();
    }

    @Test
    void extensionsFromAnExistingVolume_areMountedReadOnly() {
        RenderedChart chart = HelmChart.defaults().set("extensions.enabled", true)
                .set("extensions.volume.persistentVolumeClaim.claimName", "app-jars").render();

        assertThat(volume(chart, "extensions").getPersistentVolumeClaim().getClaimName()).isEqualTo("app-jars");
        assertThat(mount(chart.gridServer(), chart.config().string("lattice.extensions.dir")).getReadOnly()).isTrue();
        assertThat(chart.statefulSet().getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();
    }

    @Test
    void helmTestScript_asksEveryPodByItsStableDnsName() {
        RenderedChart chart = HelmChart.scenario(HelmChart.scenario("external-database")).render();

        String script = chart.get(ConfigMap.class, HelmChart.FULLNAME + "-tests").getData().get("cluster-size.sh");
        assertThat(script).contains("expected=\"${EXPECTED_MEMBERS:-3}\"");
        for (int i = 0; i < 3; i++) {
            assertThat(script).contains("http://" + HelmChart.FULLNAME + "-" + i + "." + HelmChart.FULLNAME
                    + "-headless:8080/actuator/health/readiness");
        }
        assertThat(script).doesNotContain(HelmChart.FULLNAME + "-3.");
    }

    @Test
    void everyValue_isCommented() throws IOException {
        List<String> uncommented = new ArrayList<>();
        List<String> lines = Files.readAllLines(HelmChart.DIR.resolve("values.yaml"));
        // indentation -> whether the key that opened that level was commented
        List<Integer> indents = new ArrayList<>();
        List<Boolean> commented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.matches("\\s*[A-Za-z0-9_.\"-]+:.*")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
                indents.remove(indents.size() - 1);
                commented.remove(commented.size() - 1);
            }
            boolean own = i > 0 && lines.get(i - 1).strip().startsWith("#");
            boolean inherited = commented.contains(true);
            if (!own && !inherited && !line.strip().endsWith(":")) {
                uncommented.add((i + 1) + ": " + line.strip());
            }
            indents.add(indent);
            commented.add(own || inherited);
        }
        assertThat(uncommented).as("values without a comment (on them or on an enclosing key)").isEmpty();
    }

    private static NetworkPolicyIngressRule rule(NetworkPolicy policy, String port) {
        return policy.getSpec().getIngress().stream()
                .filter(rule -> rule.getPorts().stream().anyMatch(p -> port.equals(p.getPort().getStrVal())))
                .findFirst().orElseThrow(() -> new AssertionError("no ingress rule for port " + port));
    }
}
