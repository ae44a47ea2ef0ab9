package dev.lattice.server.config;

import java.util.ArrayList;
import java.util.List;

/** Every message along a startup failure's cause chain: what Spring Boot's failure analysis draws on. */
final class StartupFailureReport {

    private StartupFailureReport() {
    }

    static String of(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return String.join("\n", messages);
    }
}
