package dev.lattice.server.extensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.lattice.client.LatticeClient;
import dev.lattice.server.GridNode;
import dev.lattice.testsupport.FreePorts;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real grid node runs application code it finds only in {@code lattice.extensions.dir}: the
 * classes are compiled into jars at test time and are nowhere on the node's class path.
 */
class ApplicationClassesOnNodeTests {

    @TempDir
    static Path temp;

    private static Path lib;
    private static GridNode node;
    private static URLClassLoader application;
    private static LatticeClient client;

    @BeforeAll
    static void start() throws Exception {
        lib = temp.resolve("lib");
        CompiledJar.write(lib.resolve("app-model.jar"), Map.of(
                "com.example.ext.Price", """
                        package com.example.ext;
                        public record Price(String currency, long cents) implements java.io.Serializable { }
                        """,
                "com.example.ext.Raise", """
                        package com.example.ext;
                        import java.util.Map;
                        public class Raise implements com.hazelcast.map.EntryProcessor<String, Price, Long> {
                            public Long process(Map.Entry<String, Price> entry) {
                                Price raised = new Price(entry.getValue().currency(), entry.getValue().cents() + 100);
                                entry.setValue(raised);
                                return raised.cents();
                            }
                        }
                        """,
                "com.example.ext.CountryLoader", """
                        package com.example.ext;
                        import java.util.HashMap;
                        import java.util.Map;
                        public class CountryLoader implements javax.cache.integration.CacheLoader<String, String> {
                            public String load(String code) { return "country " + code + " from a member"; }
                            public Map<String, String> loadAll(Iterable<? extends String> codes) {
                                Map<String, String> all = new HashMap<>();
                                codes.forEach(code -> all.put(code, load(code)));
                                return all;
                            }
                        }
                        """,
                "com.example.ext.GreetingLoaderFactory", """
                        package com.example.ext;
                        import java.util.HashMap;
                        import java.util.Map;
                        import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
                        import javax.cache.integration.CacheLoader;
                        public class GreetingLoaderFactory implements Factory<CacheLoader<String, String>> {
                            public CacheLoader<String, String> create() {
                                return new CacheLoader<>() {
                                    public String load(String key) { return "hello " + key + " from a member"; }
                                    public Map<String, String> loadAll(Iterable<? extends String> keys) {
                                        Map<String, String> all = new HashMap<>();
                                        keys.forEach(key -> all.put(key, load(key)));
                                        return all;
                                    }
                                };
                            }
                        }
                        """));
        // Known to the application only: the node's directory does not have it.
        Path missing = CompiledJar.write(temp.resolve("elsewhere/missing.jar"), Map.of(
                "com.example.missing.Tripler", """
                        package com.example.missing;
                        import java.util.Map;
                        public class Tripler implements com.hazelcast.map.EntryProcessor<String, Long, Long> {
                            public Long process(Map.Entry<String, Long> entry) { return entry.getValue() * 3; }
                        }
                        """));
        application = new URLClassLoader(new URL[] {lib.resolve("app-model.jar").toUri().toURL(), missing.toUri().toURL()},
                ApplicationClassesOnNodeTests.class.getClassLoader());

        String cluster = "extensions-" + UUID.randomUUID();
        int port = FreePorts.one();
        node = GridNode.start("--lattice.cluster-name=" + cluster, "--lattice.network.port=" + port,
                "--lattice.network.port-auto-increment=false", "--lattice.extensions.dir=" + lib,
                // Allowed but in no jar: the call must reach class loading, past the serialization filter.
                "--lattice.serialization.allowed-packages=com.example.missing").awaitReady();
        client = LatticeClient.builder().addresses("127.0.0.1:" + port).clusterName(cluster)
                .customize(config -> config.setClassLoader(application)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
        if (application != null) {
            application.close();
        }
    }

    @Test
    void entryProcessorAndValueType_fromTheDirectory_runOnTheMember() throws Exception {
        IMap<String, Object> prices = client.map("prices");
        prices.put("AAPL", newInstance("com.example.ext.Price", "USD", 19_900L));

        Object raised = prices.executeOnKey("AAPL", (EntryProcessor<String, Object, Object>) newInstance("com.example.ext.Raise"));

        assertThat(raised).isEqualTo(20_000L);
        assertThat(prices.get("AAPL")).hasToString("Price[currency=USD, cents=20000]");
        assertThat(prices.get("AAPL").getClass().getClassLoader()).isSameAs(application);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jcacheLoaderFactory_fromTheDirectory_loadsOnTheMember() throws Exception {
        Factory<CacheLoader<String, String>> loader = (Factory<CacheLoader<String, String>>) newInstance("com.example.ext.GreetingLoaderFactory");
        Cache<String, String> greetings = client.cacheManager().createCache("greetings",
                new MutableConfiguration<String, String>().setReadThrough(true).setCacheLoaderFactory(loader));

        assertThat(greetings.get("bob")).isEqualTo("hello bob from a member");
    }

    @Test
    void jcacheLoaderNamedByClass_isInstantiatedByTheMemberFromTheDirectory() {
        // What the starter's lattice.client.jcache.caches.<name>.loader sends: only the class name.
        Cache<String, String> countries = client.cacheManager().createCache("countries",
                new MutableConfiguration<String, String>().setReadThrough(true)
                        .setCacheLoaderFactory(FactoryBuilder.factoryOf("com.example.ext.CountryLoader")));

        assertThat(countries.get("NL")).isEqualTo("country NL from a member");
    }

    @Test
    @SuppressWarnings("unchecked")
    void missingClass_failsTheCallNamingClassAndDirectory_andTheMemberStaysUp() throws Exception {
        IMap<String, Long> counts = client.map("counts");
        counts.put("n", 7L);

        Throwable failure = catchThrowable(() -> counts.executeOnKey("n",
                (EntryProcessor<String, Long, Long>) newInstance("com.example.missing.Tripler")));

        assertThat(failure).isNotNull();
        assertThat(messages(failure)).contains("com.example.missing.Tripler").contains("lattice.extensions.dir (" + lib);
        assertThat(counts.get("n")).isEqualTo(7L);
        assertThat(node.member().getLifecycleService().isRunning()).isTrue();
        assertThat(node.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    private static Object newInstance(String className, Object... args) throws Exception {
        Class<?> type = Class.forName(className, true, application);
        for (var constructor : type.getConstructors()) {
            if (constructor.getParameterCount() == args.length) {
                return constructor.newInstance(args);
            }
        }
        throw new IllegalArgumentException(className + " has no constructor for " + args.length + " arguments");
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
