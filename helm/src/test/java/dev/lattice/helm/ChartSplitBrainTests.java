package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Split-brain protection follows the replica count: the chart renders grid-server's
 * lattice.split-brain-protection.minimum-cluster-size as a majority of replicaCount unless the user
 * set it, and refuses values with which the grid could never take a write.
 */
class ChartSplitBrainTests {

    /** Several replicas need an external database. */
    private static HelmChart replicas(int count) {
        return HelmChart.defaults().set("replicaCount", count).set("database.url", "jdbc:postgresql://pg:5432/lattice");
    }

    @ParameterizedTest(name = "{0} replicas -> {1}")
    @CsvSource({"0, 1", "1, 1", "2, 2", "3, 2", "4, 3", "5, 3", "7, 4"})
    void minimumClusterSize_isAMajorityOfTheReplicas(int replicaCount, int minimum) {
        RenderedChart chart = replicaCount <= 1 ? HelmChart.defaults().set("replicaCount", replicaCount).render()
                : replicas(replicaCount).render();

        assertThat(chart.config().get("lattice.split-brain-protection.minimum-cluster-size")).isEqualTo(minimum);
    }

    @Test
    void minimumClusterSizeSetByTheUser_wins() {
        RenderedChart chart = replicas(5).set("lattice.split-brain-protection.minimum-cluster-size", 2).render();

        assertThat(chart.config().get("lattice.split-brain-protection.minimum-cluster-size")).isEqualTo(2);
    }

    @Test
    void minimumClusterSizeAboveTheReplicas_isRefused_sayingWhy() {
        String message = replicas(3).set("lattice.split-brain-protection.minimum-cluster-size", 4).renderFailure();

        assertThat(message).contains("minimum-cluster-size is 4 but replicaCount is 3").contains("refuse every write")
                .contains("at most 3");
    }

    @Test
    void minimumClusterSizeBelowOne_isRejectedBySchema() {
        String message = replicas(3).set("lattice.split-brain-protection.minimum-cluster-size", 0).renderFailure();

        assertThat(message).contains("minimum-cluster-size").contains("greater than or equal to 1");
    }

    /** grid-server holds eager loads back until the minimum is met, and readiness does not wait for them then. */
    @Test
    void eagerMaps_renderWithProtection() {
        RenderedChart chart = HelmChart.defaults().set("replicaCount", 3).set("database.url", "jdbc:postgresql://pg:5432/lattice")
                .set("lattice.maps.orders.store.mode", "write-behind").set("lattice.maps.orders.store.initial-load", "eager")
                .render();

        assertThat(chart.config().get("lattice.split-brain-protection.minimum-cluster-size")).isEqualTo(2);
        assertThat(chart.config().get("lattice.maps.orders.store.initial-load")).isEqualTo("eager");
    }

    /** grid-server reads the minimum at startup only: a new one must restart the pods, one at a time. */
    @Test
    void aReplicaCountWithAnotherMajority_rollsThePods_andOneWithTheSameMajorityDoesNot() {
        assertThat(checksum(replicas(4))).isNotEqualTo(checksum(replicas(3)));
        assertThat(checksum(replicas(2))).as("2 and 3 share the majority 2").isEqualTo(checksum(replicas(3)));
    }

    @Test
    void notes_nameTheMinimum_andHowToScale() {
        String notes = HelmChart.scenario(HelmChart.scenario("external-database")).notes();

        assertThat(notes).contains("accepts writes only while it sees at least 2 members\n(a majority of the 3 replicas")
                .contains("never kubectl scale").doesNotContain("WARNING");
        assertThat(HelmChart.defaults().notes()).contains("Split-brain protection: off");
    }

    @Test
    void notes_warnThatTwoReplicasRefuseWritesWhileOneRestarts() {
        assertThat(replicas(2).notes()).contains("WARNING: with 2 replicas the majority is 2");
    }

    private static String checksum(HelmChart chart) {
        return chart.render().statefulSet().getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }
}
