package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rendered pod's volumes as local directories, one per volume, holding what Kubernetes would
 * put there: a ConfigMap's or Secret's entries as files, nothing for an emptyDir or a new claim.
 */
final class PodVolumes {

    private final RenderedChart chart;
    private final Path root;
    private final Map<String, Map<String, String>> secrets;

    PodVolumes(RenderedChart chart, Path root, Map<String, Map<String, String>> secrets) {
        this.chart = chart;
        this.root = root;
        this.secrets = secrets;
    }

    /** The grid-server container's mount paths and the directories standing in for them. */
    Map<String, Path> mounts() {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (VolumeMount mount : chart.gridServer().getVolumeMounts()) {
            dirs.put(mount.getMountPath(), dir(mount.getName()));
        }
        return dirs;
    }

    /** Rendered strings with the grid-server container's mount paths pointed at their directories. */
    UnaryOperator<String> mountedPaths() {
        return mountedPaths(mounts());
    }

    /** Creates every mounted volume's directory with its content. */
    void fill() throws IOException {
        PodSpec pod = chart.statefulSet().getSpec().getTemplate().getSpec();
        UnaryOperator<String> mounted = mountedPaths();
        for (VolumeMount mount : chart.gridServer().getVolumeMounts()) {
            Path dir = Files.createDirectories(dir(mount.getName()));
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElse(null);
            if (volume == null) {
                // A volumeClaimTemplate: an empty claim on first start.
                assertThat(chart.statefulSet().getSpec().getVolumeClaimTemplates())
                        .anyMatch(claim -> claim.getMetadata().getName().equals(mount.getName()));
            } else if (volume.getConfigMap() != null) {
                ConfigMap configMap = chart.get(ConfigMap.class, volume.getConfigMap().getName());
                write(dir, configMap.getData(), volume.getConfigMap().getItems(), mounted);
            } else if (volume.getSecret() != null) {
                Map<String, String> data = secrets.get(volume.getSecret().getSecretName());
                assertThat(data).as("content of Secret %s", volume.getSecret().getSecretName()).isNotNull();
                write(dir, data, volume.getSecret().getItems(), UnaryOperator.identity());
            }
        }
    }

    /**
     * Runs the pod's init containers' commands here, in order, with their mounts pointed at the
     * volume directories and {@code imagePaths} standing in for paths inside their images.
     */
    void runInitContainers(Map<String, Path> imagePaths) throws IOException, InterruptedException {
        for (Container init : chart.statefulSet().getSpec().getTemplate().getSpec().getInitContainers()) {
            Map<String, Path> paths = new LinkedHashMap<>(imagePaths);
            for (VolumeMount mount : init.getVolumeMounts()) {
                paths.put(mount.getMountPath(), Files.createDirectories(dir(mount.getName())));
            }
            UnaryOperator<String> mapped = mountedPaths(paths);
            Process process = new ProcessBuilder(init.getCommand().stream().map(mapped).toList())
                    .redirectErrorStream(true).redirectOutput(root.resolve("init-" + init.getName() + ".log").toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("init container %s: %s", init.getName(), init.getCommand()).isZero();
        }
    }

    private Path dir(String volumeName) {
        return root.resolve("volumes").resolve(volumeName);
    }

    /**
     * Replaces paths in a string by local directories, in one pass (the local directories
     * themselves live under /tmp, a mount path too), whole path segments only, longest first.
     */
    private static UnaryOperator<String> mountedPaths(Map<String, Path> paths) {
        String alternatives = paths.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|"));
        Pattern mountPath = Pattern.compile("(?<![\\w./-])(" + alternatives + ")(?![\\w.-])");
        return text -> mountPath.matcher(text).replaceAll(match -> Matcher.quoteReplacement(paths.get(match.group(1)).toString()));
    }

    private static void write(Path dir, Map<String, String> data, List<KeyToPath> items, UnaryOperator<String> content)
            throws IOException {
        if (items == null || items.isEmpty()) {
            for (Map.Entry<String, String> entry : data.entrySet()) {
                Files.writeString(dir.resolve(entry.getKey()), content.apply(entry.getValue()));
            }
            return;
        }
        for (KeyToPath item : items) {
            assertThat(data).as("key %s", item.getKey()).containsKey(item.getKey());
            Files.writeString(dir.resolve(item.getPath()), content.apply(data.get(item.getKey())));
        }
    }
}
