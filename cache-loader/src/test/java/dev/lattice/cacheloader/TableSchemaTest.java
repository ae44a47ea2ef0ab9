package dev.lattice.cacheloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.cacheloader.config.KeyType;
import dev.lattice.cacheloader.config.MapStoreSettings;
import dev.lattice.cacheloader.config.SchemaAction;
import dev.lattice.cacheloader.config.ValueType;
import dev.lattice.cacheloader.schema.TableSchema;
import org.junit.jupiter.api.Test;

class TableSchemaTest extends DatabaseBackedTest {


    private static MapStoreSettings.Builder orders() {
        return MapStoreSettings.builder().table("orders").keyType(KeyType.LONG).valueColumn("body").valueType(ValueType.JSON);
    }

    @Test
    void migrate_createsTableAndDeadLetterTable_andRunsAgainWithoutChange() {
        TableSchema.prepare(pool, orders().build());
        TableSchema.prepare(pool, orders().build());
        assertThat(Fixtures.count(pool, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'")).isEqualTo(2);
        assertThat(Fixtures.count(pool, "SELECT count(*) FROM orders_schema_history WHERE success")).isEqualTo(1);
        assertThat(Fixtures.count(pool, "SELECT count(*) FROM lattice_dead_letter")).isZero();
    }

    @Test
    void validate_missingTable_namesTable() {
        assertThatThrownBy(() -> TableSchema.prepare(pool, orders().schemaAction(SchemaAction.VALIDATE).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("table orders does not exist (schema action VALIDATE; use MIGRATE to create it)");
    }

    @Test
    void validate_missingColumn_namesTableAndColumn() {
        Fixtures.execute(pool, "CREATE TABLE orders (id bigint PRIMARY KEY, payload jsonb)");
        assertThatThrownBy(() -> TableSchema.prepare(pool, orders().schemaAction(SchemaAction.VALIDATE).build()))
                .hasMessage("table orders is missing column body (expected jsonb)");
    }

    @Test
    void validate_wrongKeyType_namesColumnAndExpectedType() {
        Fixtures.execute(pool, "CREATE TABLE orders (id integer PRIMARY KEY, body jsonb)");
        assertThatThrownBy(() -> TableSchema.prepare(pool, orders().schemaAction(SchemaAction.VALIDATE).build()))
                .hasMessage("column id of table orders has type integer, expected bigint");
    }

    @Test
    void validate_keyWithoutUniqueIndex_explainsTheUpsertNeedsIt() {
        Fixtures.execute(pool, "CREATE TABLE orders (id bigint, body jsonb)");
        assertThatThrownBy(() -> TableSchema.prepare(pool, orders().schemaAction(SchemaAction.VALIDATE).build()))
                .hasMessageContaining("table orders needs a primary key or unique index on exactly column id");
    }

    @Test
    void validate_missingDeadLetterTable_saysHowToCreateIt() {
        Fixtures.execute(pool, "CREATE TABLE orders (id bigint PRIMARY KEY, body jsonb)");
        assertThatThrownBy(() -> TableSchema.prepare(pool, orders().schemaAction(SchemaAction.VALIDATE).build()))
                .hasMessage("table lattice_dead_letter does not exist (use schema action MIGRATE to create it)");
    }

    @Test
    void validate_existingTableMadeByHand_passes() {
        Fixtures.execute(pool, "CREATE TABLE orders (id bigint PRIMARY KEY, body jsonb, extra text)");
        TableSchema.migrateDeadLetters(pool);
        TableSchema.prepare(pool, orders().schemaAction(SchemaAction.VALIDATE).build());
    }
}
