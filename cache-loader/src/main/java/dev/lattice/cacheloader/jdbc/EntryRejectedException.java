package dev.lattice.cacheloader.jdbc;

/** A value or key that can not be turned into a row: the entry's fault, never the database's. */
final class EntryRejectedException extends RuntimeException {

    EntryRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
