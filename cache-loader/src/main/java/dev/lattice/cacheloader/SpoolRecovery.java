package dev.lattice.cacheloader;

import dev.lattice.cacheloader.jdbc.DeadLetters;
import dev.lattice.cacheloader.jdbc.FailureClassifier;
import dev.lattice.cacheloader.jdbc.Fence;
import dev.lattice.cacheloader.jdbc.MapTable;
import dev.lattice.cacheloader.jdbc.Ownership;
import dev.lattice.cacheloader.jdbc.SpoolReplay;
import dev.lattice.cacheloader.jdbc.SpooledWrite;
import dev.lattice.cacheloader.jdbc.StoreFailedException;
import dev.lattice.cacheloader.jdbc.TableWriter.Write;
import dev.lattice.cacheloader.writebehind.ShutdownSpool;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shutdown spool of one map on one member: saves writes at shutdown when the database is
 * unreachable, and writes saved ones to the table before this member loads or stores anything,
 * so a saved write can never be overtaken by a newer one or hidden by a stale read.
 */
final class SpoolRecovery {

    private static final Logger log = LoggerFactory.getLogger(SpoolRecovery.class);
    private static final long RETRY_NANOS = 1_000_000_000L;

    private final MapTable table;
    private final Path directory;
    private final ShutdownSpool spool;
    private final SpoolReplay replay;
    private final Fence fence;
    private volatile boolean replayed;
    private volatile long lastAttempt;

    SpoolRecovery(MapTable table, Path directory, Fence fence) {
        this.table = table;
        this.directory = directory;
        this.spool = directory == null ? null : new ShutdownSpool(directory, table.mapName());
        this.replay = new SpoolReplay(table, new DeadLetters(table));
        this.fence = fence;
        this.replayed = directory == null;
    }

    /**
     * Saves writes to this member's spool file; false (and an ERROR log) if there is no spool or the
     * disk refused, in which case the writes are lost when the member stops.
     */
    boolean save(List<Write> writes, Ownership ownership) {
        if (spool == null) {
            log.error("map '{}': {} write(s) could not be stored (the database is unreachable) and no spool directory is"
                    + " configured: they are lost when this member stops", table.mapName(), writes.size());
            return false;
        }
        List<SpooledWrite> saved = new ArrayList<>(writes.size());
        for (Write write : writes) {
            Long epoch = fence.held(write.partition());
            saved.add(new SpooledWrite(write.partition(), epoch == null ? -1 : epoch, table.keyText(write.key()),
                    write.value() == null ? null : table.valueText(write.value())));
        }
        try (SpoolLock ignored = fileLock()) {
            spool.append(ownership.memberId(), saved);
            table.metrics().spooled(saved.size());
            log.warn("map '{}': saved {} write(s) to {} (the database is unreachable); they are written to the table"
                    + " when a node starts again with this directory", table.mapName(), saved.size(), directory);
            return true;
        } catch (IOException e) {
            log.error("map '{}': {} write(s) could not be stored (the database is unreachable) nor saved to {}: they are"
                    + " lost when this member stops", table.mapName(), writes.size(), directory, e);
            return false;
        }
    }

    /** Whether every saved write is in the table; tries to replay them (at most once a second) if not. */
    boolean ready() {
        if (replayed) {
            return true;
        }
        if (System.nanoTime() - lastAttempt < RETRY_NANOS) {
            return false;
        }
        return tryReplay();
    }

    /** For loads: a read must not see the table before the writes saved at shutdown are in it. */
    void awaitReplayed() {
        if (!replayed && !tryReplay()) {
            throw new StoreFailedException("map '" + table.mapName() + "': writes saved at the last shutdown are not in"
                    + " the table yet (the database is unreachable); reads wait for them", null);
        }
    }

    /** Replays every spool file of the map; true when none is left. */
    boolean tryReplay() {
        if (replayed) {
            return true;
        }
        try (SpoolLock ignored = fileLock()) {
            lastAttempt = System.nanoTime();
            for (Path file : spool.files()) {
                List<SpooledWrite> writes = spool.read(file);
                int written = replay.replay(writes);
                Files.delete(file);
                log.info("map '{}': replayed {} write(s) saved at shutdown from {} ({} written, {} to the dead-letter table)",
                        table.mapName(), writes.size(), file, written, countDistinct(writes) - written);
            }
            replayed = true;
            return true;
        } catch (SQLException e) {
            log.warn("map '{}': writes saved at shutdown can not be replayed yet ({}); retrying", table.mapName(),
                    FailureClassifier.describeSafely(e));
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("map '" + table.mapName() + "': the shutdown spool in " + directory
                    + " can not be read: " + e.getMessage(), e);
        }
    }

    private static int countDistinct(List<SpooledWrite> writes) {
        return (int) writes.stream().map(w -> w.partition() + "/" + w.key()).distinct().count();
    }

    /** Serialises spool access between members of this JVM and nodes that share the directory on one machine. */
    private SpoolLock fileLock() throws IOException {
        return SpoolLock.acquire(directory.resolve(table.mapName()).resolve(".lock"));
    }

    /** A lock held by one thread of one process at a time: a JVM-wide lock, then the file lock. */
    private static final class SpoolLock implements AutoCloseable {
        private static final ConcurrentMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

        private final ReentrantLock local;
        private final FileChannel channel;
        private final FileLock lock;

        private SpoolLock(ReentrantLock local, FileChannel channel, FileLock lock) {
            this.local = local;
            this.channel = channel;
            this.lock = lock;
        }

        static SpoolLock acquire(Path file) throws IOException {
            ReentrantLock local = IN_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock());
            local.lock();
            FileChannel channel = null;
            try {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                return new SpoolLock(local, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                if (channel != null) {
                    channel.close();
                }
                local.unlock();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
                channel.close();
            } finally {
                local.unlock();
            }
        }
    }
}
