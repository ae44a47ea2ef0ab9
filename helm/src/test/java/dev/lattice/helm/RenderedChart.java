package dev.lattice.helm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects {@code helm template} printed, as Kubernetes API types. */
record RenderedChart(List<HasMetadata> objects) {

    static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "ConfigMap", ConfigMap.class,
            "Service", Service.class,
            "ServiceAccount", ServiceAccount.class,
            "StatefulSet", StatefulSet.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "NetworkPolicy", NetworkPolicy.class,
            "Pod", Pod.class);

    static RenderedChart parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var documents = YAML.readerFor(Map.class).<Map<String, Object>>readValues(manifests)) {
            while (documents.hasNext()) {
                Map<String, Object> document = documents.next();
                if (document == null || document.isEmpty()) {
                    continue;
                }
                Class<? extends HasMetadata> type = KINDS.getOrDefault((String) document.get("kind"), GenericKubernetesResource.class);
                objects.add(YAML.convertValue(document, type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template printed something that is not YAML", e);
        }
        return new RenderedChart(List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> all(String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in " + names()));
    }

    StatefulSet statefulSet() {
        return get(StatefulSet.class, HelmChart.FULLNAME);
    }

    /** The grid-server container of the StatefulSet's pod template. */
    Container gridServer() {
        return statefulSet().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("grid-server")).findFirst().orElseThrow();
    }

    ConfigMap configMap() {
        return get(ConfigMap.class, HelmChart.FULLNAME + "-config");
    }

    /** The grid-server configuration file the ConfigMap carries. */
    String applicationYaml() {
        return configMap().getData().get("application.yml");
    }

    /** {@link #applicationYaml()} parsed. */
    GridConfig config() {
        return GridConfig.parse(applicationYaml());
    }

    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
}
