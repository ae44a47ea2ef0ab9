package dev.lattice.cacheloader.jdbc;

import java.time.Instant;

/**
 * One entry the database kept rejecting, as kept in {@code lattice_dead_letter}.
 *
 * @param key the key in text form (a UUID or number as its {@code toString})
 * @param value the value in the form it was written (JSON text, base64 for bytes); null for a rejected delete
 * @param error SQLState and message of the last rejection
 */
public record DeadLetter(long id, String mapName, String key, String value, String error, int attempts, Instant failedAt) {
}
