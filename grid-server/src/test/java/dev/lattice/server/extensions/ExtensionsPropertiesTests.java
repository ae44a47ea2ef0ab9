package dev.lattice.server.extensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lattice.server.config.GridSettingsConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@code lattice.extensions.dir}: what a node accepts at startup and what its class loader holds. */
class ExtensionsPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(PropertiesAndLoader.class);

    @Test
    void explicitDirThatDoesNotExist_failsStartupNamingPropertyAndValue(@TempDir Path temp) {
        Path missing = temp.resolve("no-such-lib");
        runner.withPropertyValues("lattice.extensions.dir=" + missing)
                .run(context -> assertFailure(context, "Invalid value '" + missing + "' for lattice.extensions.dir",
                        "does not exist"));
    }

    @Test
    void explicitDirThatIsAFile_failsStartupNamingPropertyAndValue(@TempDir Path temp) throws Exception {
        Path file = Files.writeString(temp.resolve("app.jar"), "not a directory");
        runner.withPropertyValues("lattice.extensions.dir=" + file)
                .run(context -> assertFailure(context, "Invalid value '" + file + "' for lattice.extensions.dir",
                        "is not a directory"));
    }

    @Test
    void defaultDirAbsent_startsWithTheNodesOwnClassesOnly() {
        assertThat(Path.of("lib")).as("the test's working directory has no ./lib").doesNotExist();
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            ExtensionClassLoader loader = context.getBean(ExtensionClassLoader.class);
            assertThat(loader.getURLs()).isEmpty();
            assertThat(loader.origin()).contains("not set, and ./lib does not exist");
        });
    }

    @Test
    void explicitDir_loadsItsJarsSortedAndIgnoresOtherFiles(@TempDir Path lib) throws Exception {
        Files.writeString(lib.resolve("b.jar"), "");
        Files.writeString(lib.resolve("a.jar"), "");
        Files.writeString(lib.resolve("README.txt"), "");
        Files.createDirectories(lib.resolve("classes"));
        runner.withPropertyValues("lattice.extensions.dir=" + lib).run(context -> {
            ExtensionClassLoader loader = context.getBean(ExtensionClassLoader.class);
            List<String> jars = new ArrayList<>();
            for (var url : loader.getURLs()) {
                jars.add(Path.of(url.toURI()).getFileName().toString());
            }
            assertThat(jars).containsExactly("a.jar", "b.jar");
            assertThat(loader.origin()).contains(lib.toString()).contains("a.jar, b.jar");
        });
    }

    @Test
    void missingClass_isReportedWithTheClassAndTheDirectory(@TempDir Path lib) throws Exception {
        try (ExtensionClassLoader loader = ExtensionClassLoader.over(lib, getClass().getClassLoader())) {
            assertThat(catchThrowable(() -> loader.loadClass("com.example.Nowhere")))
                    .isInstanceOf(ClassNotFoundException.class)
                    .hasMessageContaining("com.example.Nowhere")
                    .hasMessageContaining("lattice.extensions.dir (" + lib + ": no jars)");
        }
    }

    private static void assertFailure(AssertableApplicationContext context, String propertyAndValue, String reason) {
        assertThat(context).hasFailed();
        StringBuilder report = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            report.append(t.getMessage()).append('\n');
        }
        assertThat(report.toString()).contains(propertyAndValue).contains(reason);
    }

    @Configuration(proxyBeanMethods = false)
    @Import({GridSettingsConfiguration.class, ExtensionsConfiguration.class})
    static class PropertiesAndLoader {
    }
}
