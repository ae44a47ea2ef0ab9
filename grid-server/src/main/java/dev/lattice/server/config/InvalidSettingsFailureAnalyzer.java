package dev.lattice.server.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints every invalid {@code lattice.*} value as one list instead of a stack trace. */
final class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingsException cause) {
        return new FailureAnalysis("The grid node's settings are invalid:\n\n    " + String.join("\n    ", cause.problems()),
                "Correct the values above; README.md ('Configuring a grid node') describes every lattice.* property.", cause);
    }
}
