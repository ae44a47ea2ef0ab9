package dev.lattice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTests {

    @Test
    void strictLint_findsNothing() {
        LintResult result = HelmChart.lintStrict();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).as("lint messages").noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
    }
}
