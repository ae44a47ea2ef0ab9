package dev.lattice.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cache.ICache;
import com.hazelcast.core.HazelcastInstance;
import dev.lattice.testsupport.LocalCluster;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring's {@code @Cacheable} on Boot's JCache support, backed by the grid through Lattice's starter. */
class CacheableWithLatticeTest {

    private static LocalCluster cluster;
    private static HazelcastInstance observer;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatticeClientAutoConfiguration.class, CacheAutoConfiguration.class))
            .withUserConfiguration(QuoteConfiguration.class);

    @BeforeAll
    static void start() {
        cluster = LocalCluster.builder().members(1).spareSlots(0).start();
        observer = cluster.newClient();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private ApplicationContextRunner app(String cacheNames) {
        return runner.withPropertyValues(
                "lattice.client.addresses=" + String.join(",", cluster.addresses()),
                "lattice.client.cluster-name=" + cluster.clusterName(),
                "spring.cache.type=jcache",
                "spring.cache.cache-names=" + cacheNames);
    }

    @Test
    void cacheable_runsMethodOnce_andValueIsInTheGrid() {
        app("quotes").run(context -> {
            assertThat(context.getBean(org.springframework.cache.CacheManager.class))
                    .isInstanceOf(JCacheCacheManager.class);
            QuoteService quotes = context.getBean(QuoteService.class);

            assertThat(quotes.quote("AAPL")).isEqualTo("quote-AAPL-1");
            assertThat(quotes.quote("AAPL")).isEqualTo("quote-AAPL-1");

            assertThat(quotes.calls()).isEqualTo(1);
            ICache<String, String> seenByAnotherClient = observer.getCacheManager().getCache("quotes");
            assertThat(seenByAnotherClient.get("AAPL")).isEqualTo("quote-AAPL-1");
        });
    }

    @Test
    void cacheNames_alreadyInTheCluster_areReusedNotRecreated() {
        app("reports").run(first -> assertThat(first).hasNotFailed());
        observer.getCacheManager().getCache("reports").put("kept", "from-first-app");

        app("reports").run(second -> {
            assertThat(second).hasNotFailed();
            assertThat(second.getBean(javax.cache.CacheManager.class).getCache("reports").get("kept"))
                    .isEqualTo("from-first-app");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class QuoteConfiguration {

        @Bean
        QuoteService quoteService() {
            return new QuoteService();
        }
    }

    static class QuoteService {

        private final AtomicInteger calls = new AtomicInteger();

        /** A method, not the field: the bean is a caching proxy whose own fields are never set. */
        public int calls() {
            return calls.get();
        }

        @Cacheable("quotes")
        public String quote(String symbol) {
            return "quote-" + symbol + "-" + calls.incrementAndGet();
        }
    }
}
