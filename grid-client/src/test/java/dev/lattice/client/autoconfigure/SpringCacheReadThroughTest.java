package dev.lattice.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lattice.testsupport.LocalCluster;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring's cache annotations on a JCache cache whose read-through loader, expiry and statistics
 * come from {@code lattice.client.jcache.caches.*}, against a real member.
 */
class SpringCacheReadThroughTest {

    private static LocalCluster cluster;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatticeClientAutoConfiguration.class, CacheAutoConfiguration.class))
            .withUserConfiguration(PriceConfiguration.class);

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private ApplicationContextRunner app(String... properties) {
        return runner.withPropertyValues(
                "lattice.client.addresses=" + String.join(",", cluster.addresses()),
                "lattice.client.cluster-name=" + cluster.clusterName(),
                "spring.cache.type=jcache")
                .withPropertyValues(properties);
    }

    @Test
    void cacheable_missIsLoadedByTheMember_throughTheConfiguredLoader_andTheMethodNeverRuns() {
        app("lattice.client.jcache.caches.prices.loader=" + QuoteLoader.class.getName()).run(context -> {
            PriceService prices = context.getBean(PriceService.class);

            assertThat(prices.price("AAPL")).isEqualTo("loaded-AAPL");
            assertThat(prices.price("AAPL")).isEqualTo("loaded-AAPL");

            assertThat(prices.calls()).isZero();
            assertThat(jcache(context, "prices").getConfiguration(CompleteConfiguration.class).isReadThrough()).isTrue();
        });
    }

    @Test
    void cacheable_whenTheLoaderHasNothing_runsTheMethodOnce_andCachesItsResult() {
        app("lattice.client.jcache.caches.prices.loader=" + QuoteLoader.class.getName()).run(context -> {
            PriceService prices = context.getBean(PriceService.class);

            assertThat(prices.price("UNKNOWN-1")).isEqualTo("computed-UNKNOWN-1");
            assertThat(prices.price("UNKNOWN-1")).isEqualTo("computed-UNKNOWN-1");

            assertThat(prices.calls()).isEqualTo(1);
        });
    }

    @Test
    void cachePutReplaces_andCacheEvictMakesTheNextReadLoadAgain() {
        app("lattice.client.jcache.caches.prices.loader=" + QuoteLoader.class.getName()).run(context -> {
            PriceService prices = context.getBean(PriceService.class);
            prices.price("MSFT");

            prices.update("MSFT", "manual-MSFT");
            assertThat(prices.price("MSFT")).isEqualTo("manual-MSFT");
            assertThat(jcache(context, "prices").get("MSFT")).isEqualTo("manual-MSFT");

            prices.evict("MSFT");
            assertThat(jcache(context, "prices").containsKey("MSFT")).isFalse();
            assertThat(prices.price("MSFT")).isEqualTo("loaded-MSFT");
            assertThat(prices.calls()).isZero();
        });
    }

    @Test
    void statisticsEnabled_countsTheLoadsAsMissesInThisJvmsMBean() {
        app("lattice.client.jcache.caches.quotes.loader=" + QuoteLoader.class.getName(),
                "lattice.client.jcache.caches.quotes.statistics-enabled=true").run(context -> {
            Cache<String, String> quotes = jcache(context, "quotes");
            quotes.get("IBM");
            quotes.get("IBM");

            ObjectName statistics = new ObjectName("javax.cache:type=CacheStatistics,CacheManager="
                    + quotes.getCacheManager().getURI() + ",Cache=quotes");
            assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(statistics, "CacheMisses")).isEqualTo(1L);
            assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(statistics, "CacheHits")).isEqualTo(1L);
        });
    }

    @Test
    void expiryFromProperties_expiresEntries() {
        app("lattice.client.jcache.caches.sessions.expiry-policy=created",
                "lattice.client.jcache.caches.sessions.expiry-duration=500ms").run(context -> {
            Cache<String, String> sessions = jcache(context, "sessions");
            sessions.put("s1", "alice");
            assertThat(sessions.get("s1")).isEqualTo("alice");

            await().atMost(Duration.ofSeconds(10)).until(() -> sessions.get("s1") == null);
        });
    }

    @Test
    void loaderThatIsNotACacheLoader_failsStartupNamingPropertyAndValue() {
        app("lattice.client.jcache.caches.prices.loader=java.lang.String").run(context ->
                assertFailure(context, "Invalid value 'java.lang.String' for lattice.client.jcache.caches.prices.loader: "
                        + "must implement javax.cache.integration.CacheLoader"));
    }

    @Test
    void loaderClassMissing_failsStartupNamingPropertyAndValue() {
        app("lattice.client.jcache.caches.prices.loader=com.example.Nowhere").run(context ->
                assertFailure(context, "Invalid value 'com.example.Nowhere' for lattice.client.jcache.caches.prices.loader: "
                        + "class not found"));
    }

    @Test
    void readThroughWithoutLoader_failsStartupNamingProperty() {
        app("lattice.client.jcache.caches.prices.read-through=true").run(context ->
                assertFailure(context, "Invalid value 'true' for lattice.client.jcache.caches.prices.read-through: "
                        + "read-through needs lattice.client.jcache.caches.prices.loader"));
    }

    @Test
    void expiryPolicyWithoutDuration_failsStartupNamingProperty() {
        app("lattice.client.jcache.caches.sessions.expiry-policy=touched").run(context ->
                assertFailure(context, "Invalid value 'null' for lattice.client.jcache.caches.sessions.expiry-duration: "
                        + "expiry-policy TOUCHED needs a positive expiry-duration"));
    }

    @SuppressWarnings("unchecked")
    private static Cache<String, String> jcache(AssertableApplicationContext context, String name) {
        return context.getBean(javax.cache.CacheManager.class).getCache(name);
    }

    private static void assertFailure(AssertableApplicationContext context, String message) {
        assertThat(context).hasFailed();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).contains(message);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class PriceConfiguration {

        @Bean
        PriceService priceService() {
            return new PriceService();
        }
    }

    static class PriceService {

        private final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }

        @Cacheable("prices")
        public String price(String symbol) {
            calls.incrementAndGet();
            return "computed-" + symbol;
        }

        @CachePut(cacheNames = "prices", key = "#symbol")
        public String update(String symbol, String value) {
            return value;
        }

        @CacheEvict("prices")
        public void evict(String symbol) {
        }
    }
}
