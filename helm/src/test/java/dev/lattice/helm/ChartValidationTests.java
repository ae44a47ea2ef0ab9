package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Values the chart refuses, each with a message that says what is wrong and why. */
class ChartValidationTests {

    @Test
    void negativeReplicaCount_isRejectedBySchema() {
        String message = HelmChart.defaults().set("replicaCount", -1).renderFailure();

        assertThat(message).contains("replicaCount").contains("greater than or equal to 0");
    }

    @Test
    void unknownTopLevelKey_isRejectedBySchema() {
        String message = HelmChart.defaults().set("replicas", 3).renderFailure();

        assertThat(message).contains("replicas").contains("not allowed");
    }

    @Test
    void unknownDiscoveryMode_isRejectedBySchema() {
        String message = HelmChart.defaults().set("discovery.mode", "multicast").renderFailure();

        assertThat(message).contains("discovery.mode").contains("dns").contains("api");
    }

    @Test
    void chartOwnedGridSetting_isRejectedBySchema() {
        String message = HelmChart.defaults().set("lattice.network.interfaces[0]", "127.0.0.1").renderFailure();

        assertThat(message).contains("lattice").contains("network").contains("not allowed");
    }

    @Test
    void chartOwnedInitialMinClusterSize_isRejectedBySchema() {
        String message = HelmChart.defaults().set("lattice.initial-min-cluster-size", 3).renderFailure();

        assertThat(message).contains("initial-min-cluster-size").contains("not allowed");
    }

    @Test
    void gridSettingsThroughExtraConfig_areRefused() {
        String message = HelmChart.defaults().set("extraConfig.lattice.discovery.mode", "tcp-ip").renderFailure();

        assertThat(message).contains("extraConfig.lattice").contains("set by the chart");
    }

    @Test
    void serverSettingsThroughExtraConfig_areRefused() {
        String message = HelmChart.defaults().set("extraConfig.server.address", "127.0.0.1").renderFailure();

        assertThat(message).contains("extraConfig.server").contains("set by the chart");
    }

    @Test
    void severalReplicas_withoutExternalDatabase_areRefused_sayingWhy() {
        String message = HelmChart.defaults().set("replicaCount", 3).renderFailure();

        assertThat(message)
                .contains("replicaCount is 3 but database.url is empty")
                .contains("embedded database")
                .contains("split over 3 databases")
                .contains("Set database.url");
    }

    @Test
    void severalReplicas_withExternalDatabase_render() {
        RenderedChart chart = HelmChart.defaults().set("replicaCount", 3)
                .set("database.url", "jdbc:postgresql://pg:5432/lattice").render();

        assertThat(chart.statefulSet().getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void gracePeriodNotAboveShutdownTimeout_isRefused() {
        String message = HelmChart.defaults().set("terminationGracePeriodSeconds", 130).renderFailure();

        assertThat(message).contains("terminationGracePeriodSeconds (130)").contains("lattice.shutdown.timeout (120s)");
    }

    @Test
    void shutdownTimeoutInMinutes_countsAsSeconds() {
        String message = HelmChart.defaults().set("lattice.shutdown.timeout", "3m").renderFailure();

        assertThat(message).contains("terminationGracePeriodSeconds (180)").contains("(180s)");
    }

    @Test
    void shutdownTimeoutInAnotherFormat_isRejectedBySchema() {
        String message = HelmChart.defaults().set("lattice.shutdown.timeout", "PT2M").renderFailure();

        assertThat(message).contains("timeout").contains("pattern");
    }

    @Test
    void passwordInTheDatabaseUrl_isRefused() {
        String message = HelmChart.defaults().set("database.url", "jdbc:postgresql://pg:5432/lattice?user=app&password=secret")
                .renderFailure();

        assertThat(message).contains("database.url contains a password").contains("existingSecret").doesNotContain("secret&");
    }

    @Test
    void persistenceUnderTheDatabase_isRejectedBySchema() {
        String message = HelmChart.defaults().set("database.embedded.persistence.enabled", false).renderFailure();

        assertThat(message).contains("embedded").contains("not allowed");
    }

    @Test
    void inlinePassword_isRejectedBySchema() {
        String message = HelmChart.defaults().set("database.password", "secret").renderFailure();

        assertThat(message).contains("password").contains("not allowed");
    }

    @Test
    void nonPostgresqlUrl_isRejectedBySchema() {
        String message = HelmChart.defaults().set("database.url", "jdbc:mysql://db/lattice").renderFailure();

        assertThat(message).contains("database.url").contains("pattern");
    }

    @Test
    void extensionsWithoutSource_areRefused() {
        String message = HelmChart.defaults().set("extensions.enabled", true).renderFailure();

        assertThat(message).contains("neither extensions.image.repository nor extensions.volume");
    }

    @Test
    void extensionsWithTwoSources_areRefused() {
        String message = HelmChart.defaults().set("extensions.enabled", true)
                .set("extensions.image.repository", "registry.example.com/jars")
                .set("extensions.volume.persistentVolumeClaim.claimName", "jars").renderFailure();

        assertThat(message).contains("either extensions.image.repository or extensions.volume, not both");
    }
}
