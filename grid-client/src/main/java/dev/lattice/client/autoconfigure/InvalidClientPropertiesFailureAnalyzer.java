package dev.lattice.client.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints every invalid {@code lattice.client.*} value as one list instead of a stack trace. */
final class InvalidClientPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<InvalidClientPropertiesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidClientPropertiesException cause) {
        return new FailureAnalysis("The Lattice client's settings are invalid:\n\n    " + String.join("\n    ", cause.problems()),
                "Correct the values above; README.md ('Using the grid from an application') describes every lattice.client.* property.",
                cause);
    }
}
