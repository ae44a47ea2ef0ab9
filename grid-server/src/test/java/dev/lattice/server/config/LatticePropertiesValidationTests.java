package dev.lattice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * Every invalid setting fails startup with a message naming the property and the bad value.
 * Binding alone is exercised here (no member starts), so each case runs in milliseconds.
 */
class LatticePropertiesValidationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsAreValid() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            LatticeProperties properties = context.getBean(LatticeProperties.class);
            assertThat(properties.getClusterName()).isEqualTo("lattice");
            assertThat(properties.getNetwork().getInterfaces()).containsExactly("127.0.0.1");
        });
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
    void storeWriteDelayInWriteThroughMode_failsNamingTheStore() {
        runner.withPropertyValues("lattice.maps.orders.store.mode=write-through", "lattice.maps.orders.store.write-delay=5s")
                .run(context -> assertFailure(context, "lattice.maps.orders.store", "WRITE_THROUGH", "write delay"));
    }

    @Test
    void storeTableThatIsNotAnIdentifier_failsNamingTheStore() {
        runner.withPropertyValues("lattice.maps.orders.store.mode=write-behind", "lattice.maps.orders.store.table=orders; drop table x")
                .run(context -> assertFailure(context, "lattice.maps.orders.store", "WRITE_BEHIND", "orders; drop table x"));
    }

    @Test
    void unknownStoreMode_failsNamingPropertyAndValue() {
        runner.withPropertyValues("lattice.maps.orders.store.mode=write-around")
                .run(context -> assertFailure(context, "lattice.maps.orders.store.mode", "write-around", "StoreMode"));
    }

    private static void assertFailure(AssertableApplicationContext context, String property, String value, String reason) {
        assertThat(context).hasFailed();
        String report = StartupFailureReport.of(context.getStartupFailure());
        assertThat(report).contains(property).contains(value).contains(reason);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LatticeProperties.class)
    static class PropertiesOnly {
    }
}
