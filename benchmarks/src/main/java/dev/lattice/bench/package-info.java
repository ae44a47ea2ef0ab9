/**
 * Lattice's benchmark suite (issue 12): a load generator with HdrHistogram latencies, closed-loop
 * sweeps and a coordinated-omission-corrected fixed rate, JMH for in-process paths, and peers in the
 * same run (Redis, stock Hazelcast, raw pgjdbc, Caffeine). {@link dev.lattice.bench.Bench} is the
 * entry point; docs/benchmarks.md records a run.
 */
package dev.lattice.bench;
