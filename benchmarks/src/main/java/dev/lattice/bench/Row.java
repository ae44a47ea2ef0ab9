package dev.lattice.bench;

/**
 * One line of the side-by-side table: Lattice and its peer doing the same work in the same run.
 * The ratio is always Lattice / peer in {@code unit}; {@code higherIsBetter} says which way wins
 * (a rate: above 1 means Lattice is faster; a time per operation: below 1 means Lattice is faster).
 */
record Row(String scenario, String concurrency, String unit, Result lattice, String peer, Result peerResult,
           boolean higherIsBetter) {

    double ratio() {
        return lattice.value() / peerResult.value();
    }
}
