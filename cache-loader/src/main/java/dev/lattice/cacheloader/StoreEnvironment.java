package dev.lattice.cacheloader;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What every map store of one member shares: the database, the meter registry, where writes go
 * when the member stops while the database is down, and the member-wide write rules. Build one per
 * member with {@link #builder(DataSource)}.
 */
public final class StoreEnvironment {

    /** The most write-behind transactions a map runs at once on one member. */
    public static final int MAX_WRITE_PARALLELISM = 64;

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final Path spoolDirectory;
    private final int minimumClusterSize;
    private final int writeParallelism;
    private final Duration sweepInterval;

    private StoreEnvironment(Builder b) {
        this.dataSource = b.dataSource;
        this.registry = b.registry;
        this.spoolDirectory = b.spoolDirectory;
        this.minimumClusterSize = b.minimumClusterSize;
        this.writeParallelism = b.writeParallelism;
        this.sweepInterval = b.sweepInterval;
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Default: a private {@link SimpleMeterRegistry}, i.e. meters nobody reads. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Where a stopping member saves write-behind writes it could not store because the database was
     * unreachable; they are written when a member starts again with the same directory. Default:
     * none, and then such writes are lost when the last member stops (logged at ERROR).
     */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /**
     * Members a member must see before it writes to a table (split-brain protection): a member cut
     * off with fewer keeps its writes queued instead of racing the rest of the cluster. Set it to a
     * majority of the cluster, e.g. 2 of 3. Default 1 (always write).
     */
    public int minimumClusterSize() {
        return minimumClusterSize;
    }

    /** Write-behind transactions in flight at once per map. Default 2. */
    public int writeParallelism() {
        return writeParallelism;
    }

    /** How often backups ask owners which of their queued copies are stored. Default 2 s. */
    public Duration sweepInterval() {
        return sweepInterval;
    }

    public static final class Builder {
        private final DataSource dataSource;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private Path spoolDirectory;
        private int minimumClusterSize = 1;
        private int writeParallelism = 2;
        private Duration sweepInterval = Duration.ofSeconds(2);

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public Builder spoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = spoolDirectory;
            return this;
        }

        public Builder minimumClusterSize(int minimumClusterSize) {
            if (minimumClusterSize < 1) {
                throw new IllegalArgumentException("minimum cluster size must be at least 1, was " + minimumClusterSize);
            }
            this.minimumClusterSize = minimumClusterSize;
            return this;
        }

        public Builder writeParallelism(int writeParallelism) {
            if (writeParallelism < 1 || writeParallelism > MAX_WRITE_PARALLELISM) {
                throw new IllegalArgumentException("write parallelism must be between 1 and " + MAX_WRITE_PARALLELISM
                        + ", was " + writeParallelism);
            }
            this.writeParallelism = writeParallelism;
            return this;
        }

        public Builder sweepInterval(Duration sweepInterval) {
            if (sweepInterval == null || sweepInterval.toMillis() < 100) {
                throw new IllegalArgumentException("sweep interval must be at least 100 ms, was " + sweepInterval);
            }
            this.sweepInterval = sweepInterval;
            return this;
        }

        public StoreEnvironment build() {
            return new StoreEnvironment(this);
        }
    }
}
