package dev.lattice.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The client's public API stays free of Micrometer: applications without metrics must not need it. */
class LatticeClientApiTest {

    @Test
    void publicMethods_exposeNoMicrometerTypes() {
        for (Class<?> type : new Class<?>[] {LatticeClient.class, LatticeClientBuilder.class, NearCacheOptions.class}) {
            Arrays.stream(type.getDeclaredMethods())
                    .filter(method -> Modifier.isPublic(method.getModifiers()))
                    .forEach(method -> assertThat(signatureTypes(method))
                            .as(type.getSimpleName() + "." + method.getName())
                            .noneMatch(name -> name.startsWith("io.micrometer.")));
        }
    }

    private static Stream<String> signatureTypes(Method method) {
        return Stream.concat(Stream.of(method.getGenericReturnType().getTypeName()),
                Arrays.stream(method.getGenericParameterTypes()).map(java.lang.reflect.Type::getTypeName));
    }
}
