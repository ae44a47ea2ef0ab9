package dev.lattice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ConnectionRetryConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the builder puts into Hazelcast's config, and what it refuses. No cluster needed. */
class LatticeClientBuilderTest {

    @Test
    void defaults_shortHeartbeatPhoneHomeOffRetryForeverRedoOff() {
        ClientConfig config = LatticeClient.builder().toClientConfig();

        assertThat(config.getClusterName()).isEqualTo("lattice");
        assertThat(config.getNetworkConfig().isRedoOperation()).isFalse();
        assertThat(config.getNetworkConfig().getAddresses()).containsExactly("127.0.0.1:5701");
        assertThat(config.getProperty("hazelcast.client.heartbeat.timeout")).isEqualTo("6000");
        assertThat(config.getProperty("hazelcast.client.heartbeat.interval")).isEqualTo("2000");
        assertThat(config.getProperty("hazelcast.client.operation.fail.on.indeterminate.state")).isEqualTo("true");
        assertThat(config.getProperty("hazelcast.client.operation.backup.timeout.millis")).isEqualTo("3000");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        ConnectionRetryConfig retry = config.getConnectionStrategyConfig().getConnectionRetryConfig();
        assertThat(retry.getInitialBackoffMillis()).isEqualTo(1000);
        assertThat(retry.getMaxBackoffMillis()).isEqualTo(30_000);
        assertThat(retry.getClusterConnectTimeoutMillis()).isEqualTo(-1);
    }

    @Test
    void connectionSettings_reachClientConfig() {
        ClientConfig config = LatticeClient.builder()
                .addresses("10.0.0.1:5701", "[::1]:5702")
                .clusterName("lattice")
                .instanceName("orders-service")
                .heartbeatTimeout(Duration.ofSeconds(7))
                .initialBackoff(Duration.ofMillis(200))
                .maxBackoff(Duration.ofSeconds(5))
                .backoffMultiplier(2.0)
                .jitter(0.2)
                .clusterConnectTimeout(Duration.ofMinutes(2))
                .toClientConfig();

        assertThat(config.getNetworkConfig().getAddresses()).containsExactly("10.0.0.1:5701", "[::1]:5702");
        assertThat(config.getClusterName()).isEqualTo("lattice");
        assertThat(config.getInstanceName()).isEqualTo("orders-service");
        assertThat(config.getProperty("hazelcast.client.heartbeat.timeout")).isEqualTo("7000");
        ConnectionRetryConfig retry = config.getConnectionStrategyConfig().getConnectionRetryConfig();
        assertThat(retry.getInitialBackoffMillis()).isEqualTo(200);
        assertThat(retry.getMaxBackoffMillis()).isEqualTo(5000);
        assertThat(retry.getMultiplier()).isEqualTo(2.0);
        assertThat(retry.getJitter()).isEqualTo(0.2);
        assertThat(retry.getClusterConnectTimeoutMillis()).isEqualTo(120_000);
    }

    @Test
    void nearCacheOptions_reachClientConfig() {
        NearCacheOptions options = NearCacheOptions.builder()
                .inMemoryFormat(InMemoryFormat.OBJECT)
                .timeToLive(Duration.ofMinutes(5))
                .maxIdle(Duration.ofSeconds(90))
                .evictionPolicy(EvictionPolicy.LFU)
                .maxSize(2500)
                .serializeKeys(true)
                .preload(true)
                .preloadDirectory("/var/lib/lattice")
                .preloadStoreInterval(Duration.ofSeconds(30))
                .build();

        ClientConfig config = LatticeClient.builder().nearCache("prices", options).toClientConfig();

        NearCacheConfig nearCache = config.getNearCacheConfig("prices");
        assertThat(nearCache.getInMemoryFormat()).isEqualTo(InMemoryFormat.OBJECT);
        assertThat(nearCache.getTimeToLiveSeconds()).isEqualTo(300);
        assertThat(nearCache.getMaxIdleSeconds()).isEqualTo(90);
        assertThat(nearCache.getEvictionConfig().getEvictionPolicy()).isEqualTo(EvictionPolicy.LFU);
        assertThat(nearCache.getEvictionConfig().getSize()).isEqualTo(2500);
        assertThat(nearCache.getEvictionConfig().getMaxSizePolicy()).isEqualTo(MaxSizePolicy.ENTRY_COUNT);
        assertThat(nearCache.isInvalidateOnChange()).isTrue();
        assertThat(nearCache.isSerializeKeys()).isTrue();
        assertThat(nearCache.getPreloaderConfig().isEnabled()).isTrue();
        assertThat(nearCache.getPreloaderConfig().getDirectory()).isEqualTo("/var/lib/lattice");
        assertThat(nearCache.getPreloaderConfig().getStoreIntervalSeconds()).isEqualTo(30);
        assertThat(nearCache.getPreloaderConfig().getStoreInitialDelaySeconds()).isEqualTo(600);
    }

    @Test
    void customizer_runsAfterLatticeSettings() {
        ClientConfig config = LatticeClient.builder()
                .clusterName("lattice")
                .customize(c -> c.setClusterName("overridden"))
                .toClientConfig();

        assertThat(config.getClusterName()).isEqualTo("overridden");
    }

    @Test
    void address_withoutPort_failsNamingAddress() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatticeClient.builder().addresses("10.0.0.1"))
                .withMessage("address must be host:port (IPv6 as [address]:port), was '10.0.0.1'");
    }

    @Test
    void address_portOutOfRange_failsNamingAddress() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatticeClient.builder().addresses("db:70000"))
                .withMessage("address must end in a port between 1 and 65535, was 'db:70000'");
    }

    @Test
    void address_bareIpv6_fails() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatticeClient.builder().addresses("::1:5701"))
                .withMessageContaining("was '::1:5701'");
    }

    @Test
    void clusterName_empty_fails() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatticeClient.builder().clusterName(" "))
                .withMessage("cluster-name must not be empty, was ' '");
    }

    @Test
    void maxBackoff_belowInitialBackoff_failsNamingBoth() {
        LatticeClientBuilder builder = LatticeClient.builder()
                .initialBackoff(Duration.ofSeconds(2))
                .maxBackoff(Duration.ofSeconds(1));

        assertThatIllegalArgumentException().isThrownBy(builder::toClientConfig)
                .withMessage("max-backoff (PT1S) can not be less than initial-backoff (PT2S)");
    }

    @Test
    void multiplierBelowOne_and_jitterAboveOne_fail() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatticeClient.builder().backoffMultiplier(0.5))
                .withMessage("multiplier must be a finite number >= 1, was 0.5");
        assertThatIllegalArgumentException().isThrownBy(() -> LatticeClient.builder().jitter(1.5))
                .withMessage("jitter must be between 0 and 1, was 1.5");
    }

    @Test
    void timeToLive_negative_failsNamingValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> NearCacheOptions.builder().timeToLive(Duration.ofSeconds(-1)))
                .withMessage("time-to-live must not be negative, was PT-1S");
    }

    @Test
    void maxIdle_fractionOfSecond_failsInsteadOfTruncating() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> NearCacheOptions.builder().maxIdle(Duration.ofMillis(1500)))
                .withMessage("max-idle must be a whole number of seconds, was PT1.5S");
    }

    @Test
    void nativeFormat_failsAsEnterpriseOnly() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> NearCacheOptions.builder().inMemoryFormat(InMemoryFormat.NATIVE))
                .withMessageStartingWith("in-memory-format NATIVE needs Hazelcast Enterprise");
    }

    @Test
    void maxSize_zero_fails() {
        assertThatIllegalArgumentException().isThrownBy(() -> NearCacheOptions.builder().maxSize(0))
                .withMessage("max-size must be positive, was 0");
    }

    @Test
    void noInvalidation_withoutExpiry_failsAsForeverStale() {
        NearCacheOptions.Builder builder = NearCacheOptions.builder().invalidateOnChange(false);

        assertThatIllegalStateException().isThrownBy(builder::build)
                .withMessageStartingWith("invalidate-on-change=false can not be combined with no time-to-live");
        assertThat(builder.timeToLive(Duration.ofSeconds(30)).build().invalidateOnChange()).isFalse();
    }

    @Test
    void front_onANearCacheACustomizerGaveATimeToLive_failsBeforeTheClientStarts() {
        LatticeClientBuilder builder = LatticeClient.builder().addresses("127.0.0.1:1")
                .nearCache("prices", NearCacheOptions.builder().front(true).build())
                .customize(config -> config.getNearCacheConfig("prices").setTimeToLiveSeconds(60));

        // Port 1 answers nothing: had the client been started first, build() would fail connecting instead.
        assertThatIllegalStateException().isThrownBy(builder::build)
                .withMessage("near cache prices has front=true but can not have a front: it needs BINARY or OBJECT "
                        + "format, invalidate-on-change and no time-to-live or max-idle, and has in-memory-format=BINARY, "
                        + "time-to-live=60 s, max-idle=0 s, invalidate-on-change=true (changed by a customizer?)");
    }

    @Test
    void front_withMaxIdle_fails() {
        assertThatIllegalStateException().isThrownBy(() -> NearCacheOptions.builder().front(true)
                        .maxIdle(Duration.ofSeconds(5)).build())
                .withMessage("front=true can not be combined with a time-to-live or max-idle (were 0 s and 5 s): "
                        + "the front does not read the clock");
        assertThat(NearCacheOptions.builder().front(true).build().inMemoryFormat()).isEqualTo(InMemoryFormat.BINARY);
    }

    @Test
    void front_withTimeToLive_fails() {
        NearCacheOptions.Builder builder = NearCacheOptions.builder().inMemoryFormat(InMemoryFormat.OBJECT).front(true)
                .timeToLive(Duration.ofSeconds(30));

        assertThatIllegalStateException().isThrownBy(builder::build)
                .withMessage("front=true can not be combined with a time-to-live or max-idle (were 30 s and 0 s): "
                        + "the front does not read the clock");
        assertThat(builder.timeToLive(Duration.ZERO).build().front()).isTrue();
    }
}
