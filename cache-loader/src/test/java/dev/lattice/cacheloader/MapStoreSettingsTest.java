package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.cacheloader.config.DataSourceSettings;
import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.SchemaAction;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapStoreSettingsTest {

    @Test
    void build_defaults_areWriteThroughJsonStringKeysLazy() {
        MapStoreSettings s = MapStoreSettings.builder().table("orders").build();
        assertThat(s.mode()).isEqualTo(StoreMode.WRITE_THROUGH);
        assertThat(s.keyColumn().name()).isEqualTo("id");
        assertThat(s.keyType()).isEqualTo(KeyType.STRING);
        assertThat(s.valueColumn().name()).isEqualTo("value");
        assertThat(s.valueType()).isEqualTo(ValueType.JSON);
        assertThat(s.initialLoad()).isEqualTo(InitialLoad.LAZY);
        assertThat(s.schemaAction()).isEqualTo(SchemaAction.MIGRATE);
        assertThat(s.maxAttempts()).isEqualTo(3);
    }

    @Test
    void build_withoutTable_failsNamingTable() {
        assertThatThrownBy(() -> MapStoreSettings.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("table must be set");
    }

    @Test
    void build_tableWithSql_failsNamingFieldAndValue() {
        assertThatThrownBy(() -> MapStoreSettings.builder().table("orders; DROP TABLE x").build())
                .hasMessageContaining("table must be a lower-case SQL identifier").hasMessageContaining("'orders; DROP TABLE x'");
    }

    @Test
    void build_upperCaseColumn_failsNamingColumn() {
        assertThatThrownBy(() -> MapStoreSettings.builder().table("orders").keyColumn("Id").build())
                .hasMessageContaining("key column must be a lower-case SQL identifier").hasMessageContaining("'Id'");
    }

    @Test
    void build_tooLongTable_fails() {
        String name = "t".repeat(49);
        assertThatThrownBy(() -> MapStoreSettings.builder().table(name).build()).hasMessageContaining("at most 48 characters");
    }

    @Test
    void build_sameKeyAndValueColumn_fails() {
        assertThatThrownBy(() -> MapStoreSettings.builder().table("t").keyColumn("v").valueColumn("v").build())
                .hasMessage("key column and value column can not both be 'v'");
    }

    @Test
    void build_writeDelayWithWriteThrough_failsNamingClash() {
        assertThatThrownBy(() -> MapStoreSettings.builder().table("t").writeDelay(Duration.ofSeconds(5)).build())
                .hasMessage("write delay can not be combined with mode WRITE_THROUGH (it applies to WRITE_BEHIND only)");
    }

    @Test
    void build_writeCoalescingWithReadThrough_failsNamingClash() {
        assertThatThrownBy(() -> MapStoreSettings.builder().table("t").mode(StoreMode.READ_THROUGH).writeCoalescing(false).build())
                .hasMessage("write coalescing can not be combined with mode READ_THROUGH (it applies to WRITE_BEHIND only)");
    }

    @Test
    void writeDelay_fractionOfSecond_failsNamingValue() {
        assertThatThrownBy(() -> MapStoreSettings.builder().writeDelay(Duration.ofMillis(1500)))
                .hasMessageContaining("write delay must be a whole number of seconds").hasMessageContaining("PT1.5S");
    }

    @Test
    void numericSettings_outOfRange_failNamingValue() {
        assertThatThrownBy(() -> MapStoreSettings.builder().writeBatchSize(0)).hasMessage("write batch size must be at least 1; was 0");
        assertThatThrownBy(() -> MapStoreSettings.builder().maxAttempts(0)).hasMessage("max attempts must be at least 1; was 0");
        assertThatThrownBy(() -> MapStoreSettings.builder().loadBatchSize(20_000))
                .hasMessage("load batch size must be between 1 and 10000; was 20000");
    }

    @Test
    void dataSource_nonPostgresUrl_failsNamingUrl() {
        assertThatThrownBy(() -> DataSourceSettings.builder().url("jdbc:h2:mem:x").build())
                .hasMessageContaining("must start with jdbc:postgresql://").hasMessageContaining("'jdbc:h2:mem:x'");
    }

    @Test
    void dataSource_twoPasswordSources_fail() {
        assertThatThrownBy(() -> DataSourceSettings.builder().url("jdbc:postgresql://h/db").password("x").passwordEnv("PW").build())
                .hasMessage("password, password env and password file can not be combined: set one");
    }

    @Test
    void dataSource_passwordFile_isReadWithoutTrailingNewline(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("password"), "s3cret\n");
        DataSourceSettings s = DataSourceSettings.builder().url("jdbc:postgresql://h/db").passwordFile(secret).build();
        assertThat(s.resolvePassword()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void dataSource_missingPasswordFile_failsNamingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        DataSourceSettings s = DataSourceSettings.builder().url("jdbc:postgresql://h/db").passwordFile(missing).build();
        assertThatThrownBy(s::resolvePassword).hasMessageContaining("password file '" + missing + "' can not be read");
    }

    @Test
    void dataSource_passwordEnv_readsVariableOrNamesItWhenMissing() {
        DataSourceSettings s = DataSourceSettings.builder().url("jdbc:postgresql://h/db").passwordEnv("DB_PASSWORD").build();
        assertThat(s.resolvePassword(Map.of("DB_PASSWORD", "pw")::get)).isEqualTo("pw");
        assertThatThrownBy(() -> s.resolvePassword(name -> null))
                .hasMessage("password environment variable 'DB_PASSWORD' is not set");
    }
}
