package dev.lattice.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.map.impl.nearcache.NearCachedClientMapProxy;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.client.LatticeClient;
import dev.lattice.testsupport.FreePorts;
import dev.lattice.testsupport.LocalCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter against a real member: what it creates, what it applies, what it refuses at startup. */
class LatticeClientAutoConfigurationTest {

    private static LocalCluster cluster;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatticeClientAutoConfiguration.class,
                    LatticeClientMetricsAutoConfiguration.class));

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private ApplicationContextRunner connected() {
        return runner.withPropertyValues("lattice.client.addresses=" + String.join(",", cluster.addresses()),
                "lattice.client.cluster-name=" + cluster.clusterName());
    }

    @Test
    void addressesSet_createsConnectedClientAndJCacheManager() {
        connected().run(context -> {
            assertThat(context).hasSingleBean(LatticeClient.class)
                    .hasSingleBean(HazelcastInstance.class)
                    .hasSingleBean(javax.cache.CacheManager.class);
            HazelcastInstance client = context.getBean(HazelcastInstance.class);
            assertThat(client).isSameAs(context.getBean(LatticeClient.class).hazelcast());
            assertThat(client.getCluster().getMembers()).hasSize(1);
            assertThat(context.getBean(javax.cache.CacheManager.class))
                    .isSameAs(context.getBean(LatticeClient.class).cacheManager());
        });
    }

    @Test
    void bootHazelcastAutoConfiguration_backsOff_noEmbeddedMemberStarts() {
        // A Config bean is what makes Boot start an embedded member; it must not here.
        Config memberConfig = new Config().setClusterName("must-not-start");
        memberConfig.getNetworkConfig().setPort(FreePorts.one()).setPortAutoIncrement(false)
                .getJoin().getMulticastConfig().setEnabled(false);
        connected().withConfiguration(AutoConfigurations.of(HazelcastAutoConfiguration.class))
                .withBean(Config.class, () -> memberConfig)
                .run(context -> {
                    assertThat(context).hasSingleBean(HazelcastInstance.class);
                    assertThat(context.getBean(HazelcastInstance.class))
                            .isSameAs(context.getBean(LatticeClient.class).hazelcast());
                    assertThat(Hazelcast.getAllHazelcastInstances())
                            .noneMatch(member -> member.getConfig().getClusterName().equals("must-not-start"));
                });
    }

    @Test
    void contextClose_shutsClientDown() {
        AtomicReference<HazelcastInstance> client = new AtomicReference<>();
        connected().run(context -> client.set(context.getBean(HazelcastInstance.class)));

        assertThat(client.get().getLifecycleService().isRunning()).isFalse();
    }

    @Test
    void customizerIsApplied_afterProperties() {
        connected().withPropertyValues("lattice.client.instance-name=from-properties")
                .withBean(LatticeClientCustomizer.class, () -> config -> config.setInstanceName("from-customizer"))
                .run(context -> assertThat(context.getBean(HazelcastInstance.class).getName())
                        .isEqualTo("from-customizer"));
    }

    @Test
    void properties_reachClientConfig() {
        AtomicReference<ClientConfig> seen = new AtomicReference<>();
        connected().withPropertyValues(
                        "lattice.client.heartbeat-timeout=9s",
                        "lattice.client.connection-retry.initial-backoff=250ms",
                        "lattice.client.connection-retry.max-backoff=4s",
                        "lattice.client.connection-retry.multiplier=1.5",
                        "lattice.client.connection-retry.jitter=0.1",
                        "lattice.client.near-cache.prices.in-memory-format=OBJECT",
                        "lattice.client.near-cache.prices.time-to-live=300",
                        "lattice.client.near-cache.prices.max-idle=2m",
                        "lattice.client.near-cache.prices.eviction-policy=LFU",
                        "lattice.client.near-cache.prices.max-size=500",
                        "lattice.client.near-cache.prices.preload.enabled=true",
                        "lattice.client.near-cache[rates-*].invalidate-on-change=false",
                        "lattice.client.near-cache[rates-*].time-to-live=30s",
                        "lattice.client.near-cache.quotes.in-memory-format=OBJECT",
                        "lattice.client.near-cache.quotes.front=true")
                // Customizers run last, so this one sees everything the properties set.
                .withBean(LatticeClientCustomizer.class, () -> seen::set)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ClientConfig config = seen.get();
                    assertThat(config.getProperty("hazelcast.client.heartbeat.timeout")).isEqualTo("9000");
                    var retry = config.getConnectionStrategyConfig().getConnectionRetryConfig();
                    assertThat(retry.getInitialBackoffMillis()).isEqualTo(250);
                    assertThat(retry.getMaxBackoffMillis()).isEqualTo(4000);
                    assertThat(retry.getMultiplier()).isEqualTo(1.5);
                    assertThat(retry.getJitter()).isEqualTo(0.1);
                    NearCacheConfig prices = config.getNearCacheConfig("prices");
                    assertThat(prices.getInMemoryFormat()).isEqualTo(InMemoryFormat.OBJECT);
                    assertThat(prices.getTimeToLiveSeconds()).isEqualTo(300);
                    assertThat(prices.getMaxIdleSeconds()).isEqualTo(120);
                    assertThat(prices.getEvictionConfig().getEvictionPolicy()).isEqualTo(EvictionPolicy.LFU);
                    assertThat(prices.getEvictionConfig().getSize()).isEqualTo(500);
                    assertThat(prices.getPreloaderConfig().isEnabled()).isTrue();
                    NearCacheConfig rates = config.getNearCacheConfig("rates-eur");
                    assertThat(rates.getName()).isEqualTo("rates-*");
                    assertThat(rates.isInvalidateOnChange()).isFalse();
                    // And the running client has the near cache the properties asked for.
                    assertThat(context.getBean(LatticeClient.class).nearCacheStats("prices")).isNotNull();
                    LatticeClient client = context.getBean(LatticeClient.class);
                    assertThat(client.nearCaches().get("quotes").front()).isTrue();
                    assertThat(((NearCachedClientMapProxy<?, ?>) client.map("quotes")).getNearCache().getClass().getSimpleName())
                            .isEqualTo("FrontedNearCache");
                    assertThat(((NearCachedClientMapProxy<?, ?>) client.map("prices")).getNearCache().getClass().getSimpleName())
                            .isEqualTo("DefaultNearCache");
                });
    }

    @Test
    void disabled_createsNothing() {
        runner.withPropertyValues("lattice.client.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LatticeClient.class)
                        .doesNotHaveBean(HazelcastInstance.class));
    }

    @Test
    void noMeterRegistry_noBinder() {
        connected().withPropertyValues("lattice.client.near-cache.prices.max-size=100")
                .run(context -> assertThat(context).hasSingleBean(LatticeClient.class)
                        .doesNotHaveBean(NearCacheMetricsRegistration.class));
    }

    @Test
    void meterRegistry_bindsNearCacheMetersForExactNames() {
        connected().withPropertyValues("lattice.client.near-cache.prices.max-size=100",
                        "lattice.client.near-cache[rates-*].max-size=100")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context.getBean(NearCacheMetricsRegistration.class).maps()).containsExactly("prices");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    LatticeClient client = context.getBean(LatticeClient.class);
                    client.map("prices").put("k", "v");
                    client.map("prices").get("k");
                    assertThat(registry.get("lattice.client.near.cache.gets").tag("map", "prices")
                            .tag("result", "miss").functionCounter().count()).isEqualTo(1.0);
                    assertThat(registry.find("lattice.client.near.cache.gets").tag("map", "rates-*").meters()).isEmpty();
                });
    }

    @Test
    void meterRegistry_bindsConnectionMeters() {
        connected().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("lattice.client.connection.state").gauge().value()).isEqualTo(1.0);
                    assertThat(registry.get("lattice.client.reconnect.events").functionCounter().count()).isZero();
                    assertThat(registry.get("lattice.client.disconnect.events").functionCounter().count()).isZero();
                    assertThat(registry.get("lattice.client.minority.view.reconnect.events").functionCounter().count()).isZero();
                });
    }

    // Invalid settings: startup fails before any connection is tried, naming the property and value.

    @Test
    void nearCacheTtlNegative_failsNamingProperty() {
        assertStartupFails("lattice.client.near-cache.prices.time-to-live=-5",
                "Invalid value '-5' for lattice.client.near-cache.prices.time-to-live: "
                        + "time-to-live must not be negative, was PT-5S");
    }

    @Test
    void nearCacheMaxIdleFraction_failsNamingProperty() {
        assertStartupFails("lattice.client.near-cache.prices.max-idle=1500ms",
                "Invalid value '1500ms' for lattice.client.near-cache.prices.max-idle: max-idle must be a whole number of seconds");
    }

    @Test
    void unknownEvictionPolicy_failsNamingPropertyAndValue() {
        assertStartupFails("lattice.client.near-cache.prices.eviction-policy=OLDEST",
                "lattice.client.near-cache.prices.eviction-policy", "OLDEST");
    }

    @Test
    void nativeInMemoryFormat_failsNamingProperty() {
        assertStartupFails("lattice.client.near-cache.prices.in-memory-format=NATIVE",
                "Invalid value 'NATIVE' for lattice.client.near-cache.prices.in-memory-format: "
                        + "in-memory-format NATIVE needs Hazelcast Enterprise");
    }

    @Test
    void invalidateOffWithoutExpiry_failsNamingProperty() {
        assertStartupFails("lattice.client.near-cache.prices.invalidate-on-change=false",
                "Invalid value 'false' for lattice.client.near-cache.prices.invalidate-on-change: invalidate-on-change=false can not be combined");
    }

    @Test
    void frontWithTimeToLive_failsNamingProperty() {
        assertStartupFails("lattice.client.near-cache.prices.front=true,lattice.client.near-cache.prices.time-to-live=60",
                "Invalid value 'true' for lattice.client.near-cache.prices.front: front=true can not be combined "
                        + "with a time-to-live or max-idle (were 60 s and 0 s)");
    }

    @Test
    void addressWithoutPort_failsNamingProperty() {
        assertStartupFails("lattice.client.addresses=10.0.0.1",
                "Invalid value '10.0.0.1' for lattice.client.addresses: "
                        + "address must be host:port (IPv6 as [address]:port), was '10.0.0.1'");
    }

    @Test
    void emptyClusterName_failsNamingProperty() {
        assertStartupFails("lattice.client.cluster-name=",
                "Invalid value '' for lattice.client.cluster-name: cluster-name must not be empty");
    }

    @Test
    void maxBackoffBelowInitial_failsNamingProperty() {
        runner.withPropertyValues("lattice.client.connection-retry.initial-backoff=10s",
                        "lattice.client.connection-retry.max-backoff=1s")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining(
                        "Invalid value '1s' for lattice.client.connection-retry.max-backoff: "
                                + "max-backoff (PT1S) can not be less than initial-backoff (PT10S)"));
    }

    @Test
    void negativeJitter_failsNamingProperty() {
        assertStartupFails("lattice.client.connection-retry.jitter=-0.1",
                "Invalid value '-0.1' for lattice.client.connection-retry.jitter: jitter must be between 0 and 1");
    }

    @Test
    void severalInvalidValues_areAllListedInOneFailure() {
        runner.withPropertyValues("lattice.client.addresses=10.0.0.1", "lattice.client.connection-retry.jitter=2",
                        "lattice.client.near-cache.prices.max-size=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidClientPropertiesException.class)
                        .hasMessage("Invalid value '10.0.0.1' for lattice.client.addresses: address must be host:port "
                                + "(IPv6 as [address]:port), was '10.0.0.1'\n"
                                + "Invalid value '2' for lattice.client.connection-retry.jitter: jitter must be between 0 and 1, was 2.0\n"
                                + "Invalid value '0' for lattice.client.near-cache.prices.max-size: max-size must be positive, was 0"));
    }

    /** {@code properties}: one property, or several separated by commas. */
    private void assertStartupFails(String properties, String... expectedInMessages) {
        runner.withPropertyValues(properties.split(",(?=lattice\\.)")).run(context -> {
            assertThat(context).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains(expectedInMessages);
        });
    }
}
