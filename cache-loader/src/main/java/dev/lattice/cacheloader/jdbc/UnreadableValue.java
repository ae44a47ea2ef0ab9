package dev.lattice.cacheloader.jdbc;

/**
 * Stands in for a queued value this member could not deserialize (its class is missing here):
 * the store rejects it like any other entry the table can not take, so after its attempts it is
 * dead-lettered instead of blocking the writes queued behind it.
 */
public record UnreadableValue(String reason) {

    @Override
    public String toString() {
        return "(value could not be deserialized on this member: " + reason + ")";
    }
}
