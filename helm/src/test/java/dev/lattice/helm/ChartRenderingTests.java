package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What must hold for the default values and for every {@code ci/*-values.yaml} scenario: the objects
 * fit together (selectors, ports, names) and carry the chart's safety promises.
 */
class ChartRenderingTests {

    static Stream<Arguments> scenarios() {
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of("defaults", null));
        HelmChart.scenarios().forEach(file -> all.add(Arguments.of(file.getFileName().toString(), file)));
        return all.stream();
    }

    private static RenderedChart render(Path valuesFile) {
        return valuesFile == null ? HelmChart.defaults().render() : HelmChart.scenario(valuesFile).render();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everySelector_matchesTheGridPodsLabels(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        StatefulSet statefulSet = chart.statefulSet();
        Map<String, String> podLabels = statefulSet.getSpec().getTemplate().getMetadata().getLabels();

        assertMatches(statefulSet.getSpec().getSelector(), podLabels, "StatefulSet selector");
        assertThat(chart.all(Service.class)).hasSize(2).allSatisfy(service ->
                assertThat(podLabels).as("labels selected by Service %s", service.getMetadata().getName())
                        .containsAllEntriesOf(service.getSpec().getSelector()));
        chart.all(PodDisruptionBudget.class).forEach(pdb -> assertMatches(pdb.getSpec().getSelector(), podLabels, "PDB selector"));
        chart.all(NetworkPolicy.class).forEach(policy -> assertMatches(policy.getSpec().getPodSelector(), podLabels, "NetworkPolicy podSelector"));
        var antiAffinity = statefulSet.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        Stream.concat(
                        antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution().stream().map(term -> term.getPodAffinityTerm()),
                        antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().stream())
                .forEach(term -> assertMatches(term.getLabelSelector(), podLabels, "pod anti-affinity"));
        assertThat(statefulSet.getSpec().getSelector().getMatchLabels()).as("selectors never carry versions")
                .doesNotContainKeys("helm.sh/chart", "app.kubernetes.io/version");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void probes_askTheActuatorOnTheHttpPortGridServerListensOn(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        Container container = chart.gridServer();
        int httpPort = containerPort(container, "http");

        assertThat(chart.config().get("server.port")).as("server.port in the ConfigMap").isEqualTo(httpPort);
        assertThat(chart.config().string("server.address")).as("kubelet probes the pod IP, not loopback").isEqualTo("0.0.0.0");
        assertProbe(container.getStartupProbe(), "/actuator/health/liveness", container);
        assertProbe(container.getLivenessProbe(), "/actuator/health/liveness", container);
        assertProbe(container.getReadinessProbe(), "/actuator/health/readiness", container);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void terminationGracePeriod_exceedsTheShutdownTimeout(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        long grace = chart.statefulSet().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();

        assertThat(grace).isGreaterThan(Durations.seconds(chart.config().string("lattice.shutdown.timeout")) + 15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void members_discoverEachOtherThroughTheHeadlessService_onThePodIp(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        GridConfig config = chart.config();
        Service headless = chart.get(Service.class, HelmChart.FULLNAME + "-headless");

        assertThat(config.string("lattice.discovery.mode")).isEqualTo("kubernetes");
        assertThat(config.string("lattice.discovery.service-dns"))
                .isEqualTo(HelmChart.FULLNAME + "-headless." + HelmChart.NAMESPACE + ".svc.cluster.local");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).as("members find not-ready members").isTrue();
        assertThat(chart.statefulSet().getSpec().getServiceName()).isEqualTo(headless.getMetadata().getName());
        assertThat(headless.getSpec().getPorts()).anySatisfy(port -> {
            assertThat(port.getPort()).as("DNS discovery connects to 5701").isEqualTo(5701);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("member");
        });
        assertThat(containerPort(chart.gridServer(), "member")).isEqualTo(5701).isEqualTo(config.get("lattice.network.port"));
        assertThat(config.get("lattice.network.interfaces")).as("never loopback in Kubernetes mode").isEqualTo(List.of("${POD_IP}"));
        EnvVar podIp = env(chart.gridServer(), "POD_IP");
        assertThat(podIp.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void pods_startOneAtATime_soTheyNeverFormSeparateClusters(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);

        assertThat(chart.statefulSet().getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        assertThat(chart.config().get("lattice.initial-min-cluster-size")).as("no pod waits for pods not yet created").isEqualTo(1);
        assertThat(chart.statefulSet().getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void disruptionBudget_allowsOneMemberDownAtATime(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);

        PodDisruptionBudget pdb = chart.get(PodDisruptionBudget.class, HelmChart.FULLNAME);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void container_runsAsNonRoot_onAReadOnlyRootFilesystem_withWritableTmp(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        PodSpec pod = chart.statefulSet().getSpec().getTemplate().getSpec();
        Container container = chart.gridServer();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(mount(container, "/tmp")).isNotNull();
        assertThat(pod.getAutomountServiceAccountToken()).as("DNS discovery needs no API token").isFalse();
    }

    /**
     * Liveness gives a hung member far longer than the cluster takes to remove it (grid-server's
     * lattice.failure-detection.max-no-heartbeat, 6 s unless set), so a GC pause never restarts a pod;
     * startup outlasts grid-server's wait for its database (lattice.datasource.startup-timeout, 60 s).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void probeWindows_outlastFailureDetection_andTheDatabaseWait(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        Container container = chart.gridServer();
        String maxNoHeartbeat = chart.config().string("lattice.failure-detection.max-no-heartbeat");

        Probe liveness = container.getLivenessProbe();
        assertThat((long) liveness.getPeriodSeconds() * liveness.getFailureThreshold())
                .isGreaterThan(5 * Durations.seconds(maxNoHeartbeat == null ? "6s" : maxNoHeartbeat));
        Probe startup = container.getStartupProbe();
        assertThat((long) startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThan(2 * 60L);
    }

    /** The root filesystem is read-only: the spool must be on the data volume, a claim unless persistence is off. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void spoolDirectory_isOnTheDataVolume(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        VolumeMount data = mountOfVolume(chart.gridServer(), "data");

        assertThat(chart.config().string("lattice.datasource.spool-directory")).startsWith(data.getMountPath() + "/");
        assertThat(data.getReadOnly()).as("writable").isNotEqualTo(Boolean.TRUE);
        boolean claim = chart.statefulSet().getSpec().getVolumeClaimTemplates().stream()
                .anyMatch(template -> template.getMetadata().getName().equals("data"));
        Volume podVolume = volume(chart, "data");
        assertThat(claim || (podVolume != null && podVolume.getEmptyDir() != null)).as("a claim or an emptyDir").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void heap_isSizedFromTheContainerMemoryLimit(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        Container container = chart.gridServer();

        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(env(container, "JAVA_TOOL_OPTIONS").getValue())
                .containsPattern("-XX:MaxRAMPercentage=\\d+")
                .doesNotContain("-Xmx");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyMountedConfigMap_isRendered_andTheConfigFileIsPassedToGridServer(String scenario, Path valuesFile) {
        RenderedChart chart = render(valuesFile);
        Container container = chart.gridServer();
        PodSpec pod = chart.statefulSet().getSpec().getTemplate().getSpec();

        pod.getVolumes().stream().filter(volume -> volume.getConfigMap() != null)
                .forEach(volume -> chart.get(ConfigMap.class, volume.getConfigMap().getName()));
        String configDir = mountOfVolume(container, "config").getMountPath();
        assertThat(container.getArgs()).contains("--spring.config.additional-location=file:" + configDir + "/application.yml");
        assertThat(chart.statefulSet().getSpec().getTemplate().getMetadata().getAnnotations())
                .as("a config change rolls the pods").containsKey("checksum/config");
    }

    // --- helpers shared by the other chart tests

    static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(port -> name.equals(port.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(env -> name.equals(env.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + container.getEnv()));
    }

    static VolumeMount mount(Container container, String path) {
        return container.getVolumeMounts().stream().filter(mount -> path.equals(mount.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    static VolumeMount mountOfVolume(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(mount -> volume.equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
    }

    static Volume volume(RenderedChart chart, String name) {
        return chart.statefulSet().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> name.equals(volume.getName())).findFirst().orElse(null);
    }

    private static void assertMatches(LabelSelector selector, Map<String, String> labels, String what) {
        assertThat(selector.getMatchExpressions()).as(what + " uses labels only").isNullOrEmpty();
        assertThat(selector.getMatchLabels()).as(what).isNotEmpty();
        assertThat(labels).as(what + " matches the pod labels").containsAllEntriesOf(selector.getMatchLabels());
    }

    private static void assertProbe(Probe probe, String path, Container container) {
        assertThat(probe).as("probe for " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(containerPort(container, probe.getHttpGet().getPort().getStrVal())).isPositive();
    }
}
