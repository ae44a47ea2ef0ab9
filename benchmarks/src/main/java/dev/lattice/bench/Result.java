package dev.lattice.bench;

import org.HdrHistogram.Histogram;

/**
 * One measured cell. {@code value} is in the unit of its row: a rate (operations or rows per
 * second) or, for JMH, nanoseconds per operation. Latency percentiles are in microseconds and
 * {@code NaN} where a job is timed as a whole (a bulk load, a drain, a JMH score).
 */
record Result(double value, double p50Micros, double p99Micros, double p999Micros, long operations) {

    static Result of(Histogram histogram, double seconds) {
        return new Result(histogram.getTotalCount() / seconds, micros(histogram, 50), micros(histogram, 99),
                micros(histogram, 99.9), histogram.getTotalCount());
    }

    /** A bulk job: {@code items} done in {@code nanos}, reported as items per second. */
    static Result bulk(long items, long nanos) {
        return new Result(items / (nanos / 1e9), Double.NaN, Double.NaN, Double.NaN, items);
    }

    /** A JMH average time. */
    static Result nanosPerOp(double nanos, long operations) {
        return single(nanos, operations);
    }

    /** One figure in its row's unit (a median start time, bytes per entry), from {@code count} samples or items. */
    static Result single(double value, long count) {
        return new Result(value, Double.NaN, Double.NaN, Double.NaN, count);
    }

    /**
     * The same cell with its p99 latency as the value: at a fixed rate every system completes the
     * same number of operations, so the figure to compare is how long they waited.
     */
    Result p99AsValue() {
        return new Result(p99Micros, p50Micros, p99Micros, p999Micros, operations);
    }

    private static double micros(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
