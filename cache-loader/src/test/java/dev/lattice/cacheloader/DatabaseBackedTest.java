package dev.lattice.cacheloader;

import com.zaxxer.hikari.HikariDataSource;
import dev.lattice.testsupport.PostgresFixture;
import dev.lattice.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh database on the test PostgreSQL and a pool on it for every test; both gone afterwards. */
abstract class DatabaseBackedTest {

    protected TestDatabase db;
    protected HikariDataSource pool;

    @BeforeEach
    void createDatabase() {
        db = PostgresFixture.createDatabase();
        pool = Fixtures.pool(db);
    }

    @AfterEach
    void dropDatabase() {
        pool.close();
        db.close();
    }
}
