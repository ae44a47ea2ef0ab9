package dev.lattice.server.persistence;

import dev.lattice.cacheloader.jdbc.DeadLetter;
import dev.lattice.cacheloader.jdbc.DeadLetters;
import java.util.List;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Operator access to dead letters: {@code GET /actuator/deadletters/{map}} lists them,
 * {@code POST /actuator/deadletters/{map}/{id}} replays one into its table,
 * {@code DELETE /actuator/deadletters/{map}/{id}} drops it. Not exposed by default; once
 * exposed ({@code management.endpoints.web.exposure.include}) it needs credentials like every
 * endpoint but health, info and prometheus.
 */
@Endpoint(id = "deadletters")
public final class DeadLetterEndpoint {

    private static final int LIST_LIMIT = 1000;

    private final GridPersistence persistence;

    DeadLetterEndpoint(GridPersistence persistence) {
        this.persistence = persistence;
    }

    @ReadOperation
    public List<String> backedMaps() {
        return List.copyOf(persistence.backedMaps());
    }

    @ReadOperation
    public List<DeadLetter> list(@Selector String map) {
        return deadLetters(map).list(LIST_LIMIT);
    }

    @WriteOperation
    public boolean replay(@Selector String map, @Selector long id) {
        return deadLetters(map).replay(id);
    }

    @DeleteOperation
    public boolean drop(@Selector String map, @Selector long id) {
        return deadLetters(map).drop(id);
    }

    private DeadLetters deadLetters(String map) {
        // An invalid request (HTTP 400), not a server error: the operator named a map without a store.
        return persistence.deadLetters(map).orElseThrow(() -> new InvalidEndpointRequestException(
                "map '" + map + "' is not backed by a table; backed maps: " + persistence.backedMaps(), "no such backed map"));
    }

    @Configuration(proxyBeanMethods = false)
    static class DeadLetterEndpointConfiguration {

        @Bean
        DeadLetterEndpoint deadLetterEndpoint(GridPersistence persistence) {
            return new DeadLetterEndpoint(persistence);
        }
    }
}
