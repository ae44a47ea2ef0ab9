package dev.lattice.server.config;

import dev.lattice.cacheloader.config.InitialLoad;
import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.SchemaAction;
import dev.lattice.cacheloader.config.StoreMode;
import dev.lattice.cacheloader.config.ValueType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map's backing table under {@code lattice.maps.<name>.store}: absent {@link #mode} means the
 * map lives in memory only. Unset fields keep cache-loader's defaults
 * ({@link dev.lattice.cacheloader.config.MapStoreSettings}), which own them. See cache-loader/README.md for what each mode guarantees.
 */
public class StoreProperties {

    /** {@code read-through}, {@code write-through} or {@code write-behind}. Default: none (not backed by a table). */
    private StoreMode mode;

    /** Write-behind only: how long a write waits before it is stored. Default 1s. */
    private Duration writeDelay;

    /** Write-behind only: entries per batch. Default 500. */
    private Integer writeBatchSize;

    /** Write-behind only: store only the latest value of a key written several times in one delay. Default true. */
    private Boolean writeCoalescing;

    /** Table name; a plain SQL identifier. Default: the map's name. */
    private String table;

    /** Key column. Default {@code id}. */
    private String keyColumn;

    /** {@code string}, {@code long} or {@code uuid}. Default string. */
    private KeyType keyType;

    /** Value column. Default {@code value}. */
    private String valueColumn;

    /** {@code json} (jsonb, values are HazelcastJsonValue) or a typed column: text, long, integer, double, boolean, decimal, uuid, bytes. Default json. */
    private ValueType valueType;

    /** {@code lazy} (each key read on first access) or {@code eager} (whole table loaded at startup). Default lazy. */
    private InitialLoad initialLoad;

    /** Failed attempts after which a rejected entry moves to the dead-letter table. Default 3. */
    private Integer maxAttempts;

    /** Rows per query when loading many keys. Default 1000. */
    private Integer loadBatchSize;

    /** {@code migrate} (create the table with Flyway) or {@code validate} (fail startup if it is missing or wrong). Default migrate. */
    private SchemaAction schemaAction;

    /** Every property set here, by its name under {@code store.}, in declaration order. */
    public Map<String, Object> setValues() {
        Map<String, Object> set = new LinkedHashMap<>();
        put(set, "mode", mode);
        put(set, "write-delay", writeDelay);
        put(set, "write-batch-size", writeBatchSize);
        put(set, "write-coalescing", writeCoalescing);
        put(set, "table", table);
        put(set, "key-column", keyColumn);
        put(set, "key-type", keyType);
        put(set, "value-column", valueColumn);
        put(set, "value-type", valueType);
        put(set, "initial-load", initialLoad);
        put(set, "max-attempts", maxAttempts);
        put(set, "load-batch-size", loadBatchSize);
        put(set, "schema-action", schemaAction);
        return set;
    }

    private static void put(Map<String, Object> set, String key, Object value) {
        if (value != null) {
            set.put(key, value);
        }
    }

    public StoreMode getMode() {
        return mode;
    }

    public void setMode(StoreMode mode) {
        this.mode = mode;
    }

    public Duration getWriteDelay() {
        return writeDelay;
    }

    public void setWriteDelay(Duration writeDelay) {
        this.writeDelay = writeDelay;
    }

    public Integer getWriteBatchSize() {
        return writeBatchSize;
    }

    public void setWriteBatchSize(Integer writeBatchSize) {
        this.writeBatchSize = writeBatchSize;
    }

    public Boolean getWriteCoalescing() {
        return writeCoalescing;
    }

    public void setWriteCoalescing(Boolean writeCoalescing) {
        this.writeCoalescing = writeCoalescing;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public String getKeyColumn() {
        return keyColumn;
    }

    public void setKeyColumn(String keyColumn) {
        this.keyColumn = keyColumn;
    }

    public KeyType getKeyType() {
        return keyType;
    }

    public void setKeyType(KeyType keyType) {
        this.keyType = keyType;
    }

    public String getValueColumn() {
        return valueColumn;
    }

    public void setValueColumn(String valueColumn) {
        this.valueColumn = valueColumn;
    }

    public ValueType getValueType() {
        return valueType;
    }

    public void setValueType(ValueType valueType) {
        this.valueType = valueType;
    }

    public InitialLoad getInitialLoad() {
        return initialLoad;
    }

    public void setInitialLoad(InitialLoad initialLoad) {
        this.initialLoad = initialLoad;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Integer getLoadBatchSize() {
        return loadBatchSize;
    }

    public void setLoadBatchSize(Integer loadBatchSize) {
        this.loadBatchSize = loadBatchSize;
    }

    public SchemaAction getSchemaAction() {
        return schemaAction;
    }

    public void setSchemaAction(SchemaAction schemaAction) {
        this.schemaAction = schemaAction;
    }
}
