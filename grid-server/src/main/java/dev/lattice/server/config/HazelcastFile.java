package dev.lattice.server.config;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.YamlConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/** Reads {@code lattice.config-file}: XML by its extension, YAML otherwise. */
public final class HazelcastFile {

    private HazelcastFile() {
    }

    /** A fresh Hazelcast config from {@code file}, or Hazelcast's defaults when there is none. */
    public static Config load(@Nullable Resource file) {
        if (file == null) {
            return new Config();
        }
        String name = String.valueOf(file.getFilename()).toLowerCase(Locale.ROOT);
        try (InputStream in = file.getInputStream()) {
            return name.endsWith(".xml") ? new XmlConfigBuilder(in).build() : new YamlConfigBuilder(in).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.getDescription() + ": " + e.getMessage(), e);
        }
    }
}
