package dev.lattice.cacheloader.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How one map is backed by one PostgreSQL table. Immutable; built with {@link #builder()}, which
 * validates every field and fails fast with a message naming the field and the bad value.
 *
 * <pre>{@code
 * MapStoreSettings orders = MapStoreSettings.builder()
 *         .mode(StoreMode.WRITE_BEHIND).writeDelay(Duration.ofSeconds(1))
 *         .table("orders").keyColumn("id").keyType(KeyType.LONG)
 *         .valueColumn("body").valueType(ValueType.JSON)
 *         .build();
 * }</pre>
 */
public final class MapStoreSettings {

    private final StoreMode mode;
    private final Duration writeDelay;
    private final int writeBatchSize;
    private final boolean writeCoalescing;
    private final SqlIdentifier table;
    private final SqlIdentifier keyColumn;
    private final KeyType keyType;
    private final SqlIdentifier valueColumn;
    private final ValueType valueType;
    private final InitialLoad initialLoad;
    private final int maxAttempts;
    private final int loadBatchSize;
    private final SchemaAction schemaAction;
    private final Duration maxRetryBackoff;

    private MapStoreSettings(Builder b) {
        this.mode = b.mode;
        this.writeDelay = b.writeDelay;
        this.writeBatchSize = b.writeBatchSize;
        this.writeCoalescing = b.writeCoalescing;
        this.table = b.table;
        this.keyColumn = b.keyColumn;
        this.keyType = b.keyType;
        this.valueColumn = b.valueColumn;
        this.valueType = b.valueType;
        this.initialLoad = b.initialLoad;
        this.maxAttempts = b.maxAttempts;
        this.loadBatchSize = b.loadBatchSize;
        this.schemaAction = b.schemaAction;
        this.maxRetryBackoff = b.maxRetryBackoff;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Default {@link StoreMode#WRITE_THROUGH}. */
    public StoreMode mode() {
        return mode;
    }

    /** Write-behind only: how long a write waits in the queue before it is stored. Default 1 s. */
    public Duration writeDelay() {
        return writeDelay;
    }

    /** Write-behind only: the most entries Hazelcast hands to one {@code storeAll}. Default 500. */
    public int writeBatchSize() {
        return writeBatchSize;
    }

    /** Write-behind only: keep only the latest write per key in the queue. Default true. */
    public boolean writeCoalescing() {
        return writeCoalescing;
    }

    public SqlIdentifier table() {
        return table;
    }

    /** Default {@code id}. */
    public SqlIdentifier keyColumn() {
        return keyColumn;
    }

    /** Default {@link KeyType#STRING}. */
    public KeyType keyType() {
        return keyType;
    }

    /** Default {@code value}. */
    public SqlIdentifier valueColumn() {
        return valueColumn;
    }

    /** Default {@link ValueType#JSON}. */
    public ValueType valueType() {
        return valueType;
    }

    /** Default {@link InitialLoad#LAZY}. */
    public InitialLoad initialLoad() {
        return initialLoad;
    }

    /** Attempts at storing an entry the database rejects before it moves to the dead-letter table. Default 3. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Keys per {@code SELECT} when loading many keys. Default 1000. */
    public int loadBatchSize() {
        return loadBatchSize;
    }

    /** Default {@link SchemaAction#MIGRATE}. */
    public SchemaAction schemaAction() {
        return schemaAction;
    }

    /** Write-behind only: the longest pause between attempts while the database is unreachable. Default 5 s. */
    public Duration maxRetryBackoff() {
        return maxRetryBackoff;
    }

    @Override
    public String toString() {
        return "MapStoreSettings{mode=" + mode + ", table=" + table + ", keyColumn=" + keyColumn + " " + keyType
                + ", valueColumn=" + valueColumn + " " + valueType + ", initialLoad=" + initialLoad
                + (mode == StoreMode.WRITE_BEHIND ? ", writeDelay=" + writeDelay + ", writeBatchSize=" + writeBatchSize
                + ", writeCoalescing=" + writeCoalescing : "") + ", maxAttempts=" + maxAttempts + "}";
    }

    /** Collects settings; {@link #build()} validates them together. */
    public static final class Builder {
        private StoreMode mode = StoreMode.WRITE_THROUGH;
        private Duration writeDelay = Duration.ofSeconds(1);
        private int writeBatchSize = 500;
        private boolean writeCoalescing = true;
        private boolean writeBehindOptionSet;
        private String writeBehindOption;
        private String tableName;
        private String keyColumnName = "id";
        private KeyType keyType = KeyType.STRING;
        private String valueColumnName = "value";
        private ValueType valueType = ValueType.JSON;
        private InitialLoad initialLoad = InitialLoad.LAZY;
        private int maxAttempts = 3;
        private int loadBatchSize = 1000;
        private SchemaAction schemaAction = SchemaAction.MIGRATE;
        private Duration maxRetryBackoff = Duration.ofSeconds(5);
        private SqlIdentifier table;
        private SqlIdentifier keyColumn;
        private SqlIdentifier valueColumn;

        private Builder() {
        }

        public Builder mode(StoreMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder writeDelay(Duration writeDelay) {
            Objects.requireNonNull(writeDelay, "writeDelay");
            if (writeDelay.compareTo(Duration.ofSeconds(1)) < 0 || writeDelay.getNano() != 0) {
                throw new IllegalArgumentException("write delay must be a whole number of seconds, at least 1 s (use mode "
                        + "WRITE_THROUGH for no delay); was " + writeDelay);
            }
            this.writeDelay = writeDelay;
            return writeBehindOption("write delay");
        }

        public Builder writeBatchSize(int writeBatchSize) {
            if (writeBatchSize < 1) {
                throw new IllegalArgumentException("write batch size must be at least 1; was " + writeBatchSize);
            }
            this.writeBatchSize = writeBatchSize;
            return writeBehindOption("write batch size");
        }

        public Builder writeCoalescing(boolean writeCoalescing) {
            this.writeCoalescing = writeCoalescing;
            return writeBehindOption("write coalescing");
        }

        private Builder writeBehindOption(String option) {
            this.writeBehindOptionSet = true;
            this.writeBehindOption = option;
            return this;
        }

        public Builder table(String table) {
            this.tableName = table;
            return this;
        }

        public Builder keyColumn(String keyColumn) {
            this.keyColumnName = keyColumn;
            return this;
        }

        public Builder keyType(KeyType keyType) {
            this.keyType = Objects.requireNonNull(keyType, "keyType");
            return this;
        }

        public Builder valueColumn(String valueColumn) {
            this.valueColumnName = valueColumn;
            return this;
        }

        public Builder valueType(ValueType valueType) {
            this.valueType = Objects.requireNonNull(valueType, "valueType");
            return this;
        }

        public Builder initialLoad(InitialLoad initialLoad) {
            this.initialLoad = Objects.requireNonNull(initialLoad, "initialLoad");
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("max attempts must be at least 1; was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder loadBatchSize(int loadBatchSize) {
            if (loadBatchSize < 1 || loadBatchSize > 10_000) {
                throw new IllegalArgumentException("load batch size must be between 1 and 10000; was " + loadBatchSize);
            }
            this.loadBatchSize = loadBatchSize;
            return this;
        }

        public Builder schemaAction(SchemaAction schemaAction) {
            this.schemaAction = Objects.requireNonNull(schemaAction, "schemaAction");
            return this;
        }

        public Builder maxRetryBackoff(Duration maxRetryBackoff) {
            Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
            if (maxRetryBackoff.compareTo(Duration.ofMillis(100)) < 0 || maxRetryBackoff.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("max retry backoff must be between 100 ms and 5 min; was " + maxRetryBackoff);
            }
            this.maxRetryBackoff = maxRetryBackoff;
            return this;
        }

        /**
         * Validates the combination and builds the settings.
         *
         * @throws IllegalArgumentException naming the field and value that are wrong
         */
        public MapStoreSettings build() {
            table = SqlIdentifier.of("table", tableName);
            keyColumn = SqlIdentifier.of("key column", keyColumnName);
            valueColumn = SqlIdentifier.of("value column", valueColumnName);
            if (keyColumn.equals(valueColumn)) {
                throw new IllegalArgumentException("key column and value column can not both be '" + keyColumn + "'");
            }
            if (writeBehindOptionSet && mode != StoreMode.WRITE_BEHIND) {
                throw new IllegalArgumentException(writeBehindOption + " can not be combined with mode " + mode
                        + " (it applies to WRITE_BEHIND only)");
            }
            return new MapStoreSettings(this);
        }
    }
}
