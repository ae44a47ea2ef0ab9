package dev.lattice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Every invalid setting fails startup with a message naming the property and the value as typed.
 * Binding and mapping alone are exercised here (no member starts), so each case runs in milliseconds.
 */
class GridSettingsValidationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsAreValid() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            GridSettings settings = context.getBean(GridSettings.class);
            assertThat(settings.clusterName()).isEqualTo("lattice");
            assertThat(settings.network().interfaces()).containsExactly("127.0.0.1");
        });
    }

    @Test
    void writeParallelismAbovePoolSize_failsNamingBoth() {
        runner.withPropertyValues("lattice.datasource.pool-size=4", "lattice.datasource.write-parallelism=6")
                .run(context -> assertFailure(context, "lattice.datasource.write-parallelism", "6",
                        "must be between 1 and lattice.datasource.pool-size (4)"));
    }

    @Test
    void writeParallelismAboveTheLoadersLimit_failsNamingIt_evenWithABiggerPool() {
        runner.withPropertyValues("lattice.datasource.pool-size=100", "lattice.datasource.write-parallelism=65")
                .run(context -> assertFailure(context, "lattice.datasource.write-parallelism", "65",
                        "must be between 1 and 64"));
    }

    @Test
    void writeParallelismUpToPoolSize_reachesTheSettings() {
        runner.withPropertyValues("lattice.datasource.pool-size=8", "lattice.datasource.write-parallelism=8")
                .run(context -> assertThat(context.getBean(GridSettings.class).datasource().writeParallelism()).isEqualTo(8));
    }

    @Test
    void backupCountSeven_failsNamingPropertyAndValue() {
        runner.withPropertyValues("lattice.maps.orders.backup-count=7")
                .run(context -> assertFailure(context, "lattice.maps.orders.backup-count", "7", "must be between 0 and 6"));
    }

    @Test
    void backupsAboveSixInTotal_failsNamingBothCounts() {
        runner.withPropertyValues("lattice.maps.orders.backup-count=4", "lattice.maps.orders.async-backup-count=3")
                .run(context -> assertFailure(context, "lattice.maps.orders.async-backup-count", "3", "backup-count (4) plus async-backup-count (3) must be at most 6"));
    }

    @Test
    void negativeTimeToLive_failsNamingPropertyAndValue() {
        runner.withPropertyValues("lattice.maps.orders.time-to-live=-5s")
                .run(context -> assertFailure(context, "lattice.maps.orders.time-to-live", "-5s", "must not be negative"));
    }

    @Test
    void fractionalMaxIdle_failsBecauseHazelcastCountsSeconds() {
        runner.withPropertyValues("lattice.maps.orders.max-idle=1500ms")
                .run(context -> assertFailure(context, "lattice.maps.orders.max-idle", "1500ms", "whole number of seconds"));
    }

    @Test
    void unknownEvictionPolicy_failsNamingPropertyAndValue() {
        runner.withPropertyValues("lattice.maps.orders.eviction.policy=OLDEST")
                .run(context -> assertFailure(context, "lattice.maps.orders.eviction.policy", "OLDEST", "EvictionPolicy"));
    }

    @Test
    void evictionPolicyWithoutSize_failsBecauseNothingWouldBeEvicted() {
        runner.withPropertyValues("lattice.maps.orders.eviction.policy=LRU")
                .run(context -> assertFailure(context, "lattice.maps.orders.eviction.size", "2147483647", "needs a size"));
    }

    @Test
    void cacheOnlySizePolicy_failsForAMap() {
        runner.withPropertyValues("lattice.maps.orders.eviction.max-size-policy=ENTRY_COUNT")
                .run(context -> assertFailure(context, "lattice.maps.orders.eviction.max-size-policy", "ENTRY_COUNT", "is not a map size policy"));
    }

    @Test
    void nativeMemoryFormat_failsBecauseItNeedsEnterprise() {
        runner.withPropertyValues("lattice.maps.orders.in-memory-format=NATIVE")
                .run(context -> assertFailure(context, "lattice.maps.orders.in-memory-format", "NATIVE", "Hazelcast Enterprise"));
    }

    @Test
    void portOutOfRange_failsNamingPropertyAndValue() {
        runner.withPropertyValues("lattice.network.port=70000")
                .run(context -> assertFailure(context, "lattice.network.port", "70000", "must be between 1 and 65535"));
    }

    @Test
    void portZero_fails() {
        runner.withPropertyValues("lattice.network.port=0")
                .run(context -> assertFailure(context, "lattice.network.port", "'0'", "must be between 1 and 65535"));
    }

    @Test
    void unknownMapOption_failsNamingTheKey() {
        runner.withPropertyValues("lattice.maps.orders.backup-cuont=2")
                .run(context -> assertFailure(context, "lattice.maps.orders.backup-cuont", "", "left unbound"));
    }

    @Test
    void unknownTopLevelKey_failsNamingTheKey() {
        runner.withPropertyValues("lattice.cluster-nam=x")
                .run(context -> assertFailure(context, "lattice.cluster-nam", "", "left unbound"));
    }

    @Test
    void blankClusterName_fails() {
        runner.withPropertyValues("lattice.cluster-name= ")
                .run(context -> assertFailure(context, "lattice.cluster-name", "", "must not be blank"));
    }

    @Test
    void kubernetesDiscoveryWithoutServiceDns_fails() {
        runner.withPropertyValues("lattice.discovery.mode=kubernetes")
                .run(context -> assertFailure(context, "lattice.discovery.service-dns", "null", "headless service"));
    }

    @Test
    void maxNoHeartbeatBelowTwoHeartbeats_fails() {
        runner.withPropertyValues("lattice.failure-detection.heartbeat-interval=5s", "lattice.failure-detection.max-no-heartbeat=6s")
                .run(context -> assertFailure(context, "lattice.failure-detection.max-no-heartbeat", "'6s'", "at least twice heartbeat-interval (5s)"));
    }

    @Test
    void heartbeatToleranceNotAboveTheHeartbeatInterval_failsNamingBoth() {
        runner.withPropertyValues("lattice.split-brain-protection.heartbeat-tolerance=1s")
                .run(context -> assertFailure(context, "lattice.split-brain-protection.heartbeat-tolerance", "'1s'",
                        "longer than lattice.failure-detection.heartbeat-interval (1s)"));
    }

    @Test
    void heartbeatToleranceNotBelowMaxNoHeartbeat_fails() {
        runner.withPropertyValues("lattice.split-brain-protection.heartbeat-tolerance=6s")
                .run(context -> assertFailure(context, "lattice.split-brain-protection.heartbeat-tolerance", "'6s'",
                        "shorter than max-no-heartbeat (6s)"));
    }

    @Test
    void unknownDiscoveryMode_failsNamingValue() {
        runner.withPropertyValues("lattice.discovery.mode=multicast")
                .run(context -> assertFailure(context, "lattice.discovery.mode", "multicast", "DiscoveryMode"));
    }

    @Test
    void severalInvalidValues_areAllReportedInOneFailure() {
        runner.withPropertyValues("lattice.maps.orders.backup-count=9", "lattice.maps.users.time-to-live=-1s", "lattice.network.port=0")
                .run(context -> {
                    assertFailure(context, "lattice.maps.orders.backup-count", "9", "between 0 and 6");
                    assertFailure(context, "lattice.maps.users.time-to-live", "-1s", "must not be negative");
                    assertFailure(context, "lattice.network.port", "0", "between 1 and 65535");
                });
    }

    @Test
    void storeWriteDelayInWriteThroughMode_failsNamingTheRealPropertyAndTypedValue() {
        runner.withPropertyValues("lattice.maps.orders.store.mode=write-through", "lattice.maps.orders.store.write-delay=5s")
                .run(context -> assertProblem(context, "Invalid value '5s' for lattice.maps.orders.store.write-delay: "
                        + "applies to write-behind only, and lattice.maps.orders.store.mode is write-through"));
    }

    @Test
    void storeWriteDelayNotWholeSeconds_failsWithTheValueAsTyped() {
        runner.withPropertyValues("lattice.maps.orders.store.mode=write-behind", "lattice.maps.orders.store.write-delay=1500ms")
                .run(context -> assertProblem(context, "Invalid value '1500ms' for lattice.maps.orders.store.write-delay: "
                        + "write delay must be a whole number of seconds"));
    }

    @Test
    void storeTableThatIsNotAnIdentifier_failsNamingTheTableProperty() {
        runner.withPropertyValues("lattice.maps.orders.store.mode=write-behind", "lattice.maps.orders.store.table=orders; drop table x")
                .run(context -> assertProblem(context, "Invalid value 'orders; drop table x' for lattice.maps.orders.store.table: "
                        + "table must be a lower-case SQL identifier"));
    }

    @Test
    void mapNameThatIsNoTableName_failsSayingTheTableDefaultsToIt() {
        runner.withPropertyValues("lattice.maps[Orders-2024].store.mode=read-through")
                .run(context -> assertProblem(context, "Invalid value 'Orders-2024' for lattice.maps.Orders-2024.store.table: "
                        + "table must be a lower-case SQL identifier"));
    }

    @Test
    void storeOptionWithoutMode_failsBecauseItWouldBeIgnored() {
        runner.withPropertyValues("lattice.maps.orders.store.table=orders_v2")
                .run(context -> assertProblem(context, "Invalid value 'orders_v2' for lattice.maps.orders.store.table: "
                        + "has no effect without lattice.maps.orders.store.mode"));
    }

    @Test
    void storeUnderDefault_failsNamingEveryPropertySet() {
        runner.withPropertyValues("lattice.maps.default.store.mode=write-behind", "lattice.maps.default.store.table=everything")
                .run(context -> {
                    assertProblem(context, "Invalid value 'write-behind' for lattice.maps.default.store.mode: a store can not be inherited");
                    assertProblem(context, "Invalid value 'everything' for lattice.maps.default.store.table: a store can not be inherited");
                });
    }

    @Test
    void twoMapsOnOneTable_failsNamingBothPropertiesAndTheTable() {
        runner.withPropertyValues("lattice.maps.orders.store.mode=write-behind",
                        "lattice.maps.archive.store.mode=read-through", "lattice.maps.archive.store.table=orders")
                .run(context -> assertProblem(context, "Invalid value 'orders' for lattice.maps.archive.store.table: table orders "
                        + "already backs map orders (lattice.maps.orders.store.table)"));
    }

    @Test
    void kubernetesDiscoveryWithLoopbackInterface_failsSayingWhatToSet() {
        runner.withPropertyValues("lattice.discovery.mode=kubernetes", "lattice.discovery.service-dns=grid.default.svc.cluster.local")
                .run(context -> {
                    assertProblem(context, "Invalid value '127.0.0.1' for lattice.network.interfaces: with "
                            + "lattice.discovery.mode=kubernetes the member must advertise the pod's address");
                    assertFailure(context, "lattice.network.interfaces", "POD_IP", "10.*.*.*");
                });
    }

    @Test
    void kubernetesDiscoveryWithPodSubnet_isAccepted() {
        runner.withPropertyValues("lattice.discovery.mode=kubernetes", "lattice.discovery.service-dns=grid.default.svc.cluster.local",
                        "lattice.network.interfaces=10.*.*.*")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void kubernetesApiMode_isAcceptedWithAServiceName() {
        runner.withPropertyValues("lattice.discovery.mode=kubernetes", "lattice.discovery.service-name=grid-lattice",
                        "lattice.discovery.namespace=data", "lattice.network.interfaces=10.*.*.*")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void kubernetesDnsAndApiModeTogether_failNamingTheServiceName() {
        runner.withPropertyValues("lattice.discovery.mode=kubernetes", "lattice.discovery.service-dns=grid.default.svc.cluster.local",
                        "lattice.discovery.service-name=grid-lattice", "lattice.network.interfaces=10.*.*.*")
                .run(context -> assertFailure(context, "lattice.discovery.service-name", "grid-lattice",
                        "can not be combined with lattice.discovery.service-dns"));
    }

    @Test
    void namespaceWithoutApiMode_fails() {
        runner.withPropertyValues("lattice.discovery.mode=kubernetes", "lattice.discovery.service-dns=grid.default.svc.cluster.local",
                        "lattice.discovery.namespace=data", "lattice.network.interfaces=10.*.*.*")
                .run(context -> assertFailure(context, "lattice.discovery.namespace", "data", "only to the Kubernetes API mode"));
    }

    @Test
    void invalidDefaultInheritedByManyMaps_isReportedOnce() {
        runner.withPropertyValues("lattice.maps.default.eviction.policy=LRU", "lattice.maps.a.backup-count=1", "lattice.maps.b.backup-count=1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidSettingsException.class);
                    assertThat(((InvalidSettingsException) rootCause(context.getStartupFailure())).problems()).containsExactly(
                            "Invalid value '2147483647' for lattice.maps.default.eviction.size: eviction policy LRU needs a size,"
                                    + " or nothing is ever evicted");
                });
    }

    @Test
    void everyProblemIsOneLineInOneFormat() {
        runner.withPropertyValues("lattice.maps.orders.backup-count=9", "lattice.shutdown.timeout=1500ms")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOf(InvalidSettingsException.class)
                        .hasMessage("Invalid value '1500ms' for lattice.shutdown.timeout: must be a whole number of seconds up to 2147483647\n"
                                + "Invalid value '9' for lattice.maps.orders.backup-count: must be between 0 and 6"));
    }

    @Test
    void unknownStoreMode_failsNamingPropertyAndValue() {
        runner.withPropertyValues("lattice.maps.orders.store.mode=write-around")
                .run(context -> assertFailure(context, "lattice.maps.orders.store.mode", "write-around", "StoreMode"));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void assertProblem(AssertableApplicationContext context, String line) {
        assertThat(context).hasFailed();
        assertThat(StartupFailureReport.of(context.getStartupFailure())).contains(line);
    }

    private static void assertFailure(AssertableApplicationContext context, String property, String value, String reason) {
        assertThat(context).hasFailed();
        String report = StartupFailureReport.of(context.getStartupFailure());
        assertThat(report).contains(property).contains(value).contains(reason);
    }

    @Configuration(proxyBeanMethods = false)
    @Import(GridSettingsConfiguration.class)
    static class PropertiesOnly {
    }
}
