package dev.lattice.client;

/** Parses and checks member addresses; Hazelcast would accept a bare host and guess ports 5701-5703. */
final class Addresses {

    private static final int MAX_PORT = 65_535;

    private Addresses() {
    }

    /**
     * Returns {@code address} trimmed if it is {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming the address when it is anything else
     */
    static String check(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address must be host:port, was '" + address + "'");
        }
        String trimmed = address.trim();
        int colon = trimmed.lastIndexOf(':');
        String host = colon < 0 ? "" : trimmed.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        if (host.isEmpty() || (!bracketed && host.indexOf(':') >= 0)) {
            throw new IllegalArgumentException("address must be host:port (IPv6 as [address]:port), was '"
                    + address + "'");
        }
        String port = trimmed.substring(colon + 1);
        if (!isPort(port)) {
            throw new IllegalArgumentException("address must end in a port between 1 and " + MAX_PORT
                    + ", was '" + address + "'");
        }
        return trimmed;
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= MAX_PORT;
    }
}
