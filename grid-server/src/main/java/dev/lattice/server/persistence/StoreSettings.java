package dev.lattice.server.persistence;

import dev.lattice.cacheloader.config.DataSourceSettings;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.server.config.DatasourceProperties;
import dev.lattice.server.config.StoreProperties;
import java.util.function.Consumer;

/** Translates {@code lattice.*} store and datasource properties into cache-loader settings, which check every value. */
public final class StoreSettings {

    private StoreSettings() {
    }

    /** The loader settings for map {@code mapName}; unset properties keep the loader's defaults. */
    public static MapStoreSettings of(String mapName, StoreProperties store) {
        MapStoreSettings.Builder builder = MapStoreSettings.builder()
                .mode(store.getMode())
                .table(store.getTable() != null ? store.getTable() : mapName);
        apply(store.getWriteDelay(), builder::writeDelay);
        apply(store.getWriteBatchSize(), builder::writeBatchSize);
        apply(store.getWriteCoalescing(), builder::writeCoalescing);
        apply(store.getKeyColumn(), builder::keyColumn);
        apply(store.getKeyType(), builder::keyType);
        apply(store.getValueColumn(), builder::valueColumn);
        apply(store.getValueType(), builder::valueType);
        apply(store.getInitialLoad(), builder::initialLoad);
        apply(store.getMaxAttempts(), builder::maxAttempts);
        apply(store.getLoadBatchSize(), builder::loadBatchSize);
        apply(store.getSchemaAction(), builder::schemaAction);
        return builder.build();
    }

    /** Settings for a configured (non-embedded) database. */
    public static DataSourceSettings of(DatasourceProperties datasource) {
        DataSourceSettings.Builder builder = DataSourceSettings.builder()
                .url(datasource.getUrl())
                .poolSize(datasource.getPoolSize())
                .connectionTimeout(datasource.getConnectionTimeout());
        apply(datasource.getUser(), builder::user);
        apply(datasource.getPassword(), builder::password);
        apply(datasource.getPasswordEnv(), builder::passwordEnv);
        apply(datasource.getPasswordFile(), builder::passwordFile);
        return builder.build();
    }

    private static <T> void apply(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
