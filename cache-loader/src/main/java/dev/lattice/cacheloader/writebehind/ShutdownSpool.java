package dev.lattice.cacheloader.writebehind;

import dev.lattice.cacheloader.jdbc.SpooledWrite;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a map's unstored writes to the node's disk when the member shuts down and the database
 * is unreachable, so the last member of a grid can stop within its grace period without losing
 * them; they are written to the table when a node starts again with the same directory.
 *
 * <p>One file per member and map under {@code <directory>/<map>/}: a header, then records of
 * {@code length, payload, CRC32}; every append is forced to disk before it returns. A record cut
 * short by a crash fails its length or checksum and ends the reading, so a torn tail can lose only
 * the append that was being written when the machine died, never an earlier one.
 */
public final class ShutdownSpool {

    private static final Logger log = LoggerFactory.getLogger(ShutdownSpool.class);
    private static final int MAGIC = 0x4c53504c; // "LSPL"
    private static final int VERSION = 1;
    private static final byte UPSERT = 1;
    private static final byte DELETE = 2;
    /** Larger than any row PostgreSQL takes (1 GB fields are not worth spooling); a larger length is a torn record. */
    private static final int MAX_RECORD_BYTES = 1 << 30;

    private final Path directory;
    private final String mapName;

    public ShutdownSpool(Path directory, String mapName) {
        this.directory = directory.resolve(mapName);
        this.mapName = mapName;
    }

    /** Appends {@code writes} to this member's file and forces them to disk. */
    public void append(UUID member, List<SpooledWrite> writes) throws IOException {
        if (writes.isEmpty()) {
            return;
        }
        Files.createDirectories(directory);
        Path file = directory.resolve(member + ".spool");
        boolean fresh = !Files.exists(file);
        // Spooled values can be personal data: readable by the node's OS user only.
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            if (fresh) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                writeString(out, mapName);
            }
            for (SpooledWrite write : writes) {
                byte[] payload = payload(write);
                CRC32 crc = new CRC32();
                crc.update(payload);
                out.writeInt(payload.length);
                out.write(payload);
                out.writeLong(crc.getValue());
            }
            out.flush();
            ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /** The spool files of this map, oldest first. */
    public List<Path> files() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".spool")).sorted((a, b) -> {
                try {
                    return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                    return 0;
                }
            }).toList();
        }
    }

    /** Every whole record of a file, in the order written. */
    public List<SpooledWrite> read(Path file) throws IOException {
        List<SpooledWrite> writes = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not a Lattice spool file of version " + VERSION);
            }
            String map = readString(in);
            if (!map.equals(mapName)) {
                throw new IOException(file + " holds map '" + map + "', not '" + mapName + "'");
            }
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                if (length < 0 || length > MAX_RECORD_BYTES) {
                    log.warn("spool {}: record {} has an impossible length; ignoring it and what follows", file, writes.size());
                    break;
                }
                byte[] payload = new byte[length];
                try {
                    in.readFully(payload);
                    long expected = in.readLong();
                    CRC32 crc = new CRC32();
                    crc.update(payload);
                    if (crc.getValue() != expected) {
                        log.warn("spool {}: record {} fails its checksum; ignoring it and what follows", file, writes.size());
                        break;
                    }
                } catch (EOFException torn) {
                    log.warn("spool {}: record {} is cut short (the node died while writing it); ignoring it", file, writes.size());
                    break;
                }
                writes.add(parse(payload));
            }
        }
        return writes;
    }

    private static byte[] payload(SpooledWrite write) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeByte(write.value() == null ? DELETE : UPSERT);
        out.writeInt(write.partition());
        out.writeLong(write.epoch());
        writeString(out, write.key());
        if (write.value() != null) {
            writeString(out, write.value());
        }
        out.flush();
        return buffer.toByteArray();
    }

    private static SpooledWrite parse(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        byte op = in.readByte();
        int partition = in.readInt();
        long epoch = in.readLong();
        String key = readString(in);
        String value = op == UPSERT ? readString(in) : null;
        return new SpooledWrite(partition, epoch, key, value);
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
