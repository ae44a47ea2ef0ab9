package dev.lattice.cacheloader.writebehind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.cacheloader.jdbc.SpooledWrite;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool file a stopping member writes: what it reads back, and what a crash mid-write leaves. */
class ShutdownSpoolTest {

    private static final UUID MEMBER = UUID.randomUUID();

    @Test
    void appendedWrites_areReadBackInOrder_deletesAndTextWithNulIncluded(@TempDir Path dir) throws IOException {
        ShutdownSpool spool = new ShutdownSpool(dir, "orders");
        List<SpooledWrite> first = List.of(new SpooledWrite(3, 7, "k1", "v1"), new SpooledWrite(4, -1, "k2", null));
        List<SpooledWrite> second = List.of(new SpooledWrite(3, 7, "k1", "with\u0000nul and ünïcode"));
        spool.append(MEMBER, first);
        spool.append(MEMBER, second);

        assertThat(spool.files()).hasSize(1);
        assertThat(spool.read(spool.files().get(0))).containsExactly(first.get(0), first.get(1), second.get(0));
        assertThat(Files.getPosixFilePermissions(spool.files().get(0))).as("values are private to the node's user")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aRecordCutShortByACrash_isDropped_andTheEarlierOnesSurvive(@TempDir Path dir) throws IOException {
        ShutdownSpool spool = new ShutdownSpool(dir, "orders");
        spool.append(MEMBER, List.of(new SpooledWrite(1, 2, "kept", "value")));
        spool.append(MEMBER, List.of(new SpooledWrite(1, 2, "torn", "x".repeat(1000))));
        Path file = spool.files().get(0);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 100);
        }
        assertThat(spool.read(file)).extracting(SpooledWrite::key).containsExactly("kept");
    }

    @Test
    void aCorruptedRecord_failsItsChecksum_andEndsTheReading(@TempDir Path dir) throws IOException {
        ShutdownSpool spool = new ShutdownSpool(dir, "orders");
        spool.append(MEMBER, List.of(new SpooledWrite(1, 2, "kept", "value"), new SpooledWrite(1, 2, "flipped", "value")));
        Path file = spool.files().get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 12] ^= 0x55;
        Files.write(file, bytes);
        assertThat(spool.read(file)).extracting(SpooledWrite::key).containsExactly("kept");
    }

    @Test
    void aFileOfAnotherMap_isRefusedRatherThanReplayedIntoTheWrongTable(@TempDir Path dir) throws IOException {
        new ShutdownSpool(dir, "orders").append(MEMBER, List.of(new SpooledWrite(1, 2, "k", "v")));
        Path ordersFile = new ShutdownSpool(dir, "orders").files().get(0);
        assertThatThrownBy(() -> new ShutdownSpool(dir, "payments").read(ordersFile)).hasMessageContaining("holds map 'orders'");
    }
}
