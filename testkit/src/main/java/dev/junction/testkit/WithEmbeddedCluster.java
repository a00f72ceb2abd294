package dev.junction.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts an {@link EmbeddedPostgresCluster} for a test class and injects it into constructors, lifecycle methods
 * and test methods that declare a parameter of that type.
 *
 * <pre>{@code
 * @WithEmbeddedCluster(replicas = 2)
 * class OrdersIT {
 *     @Test
 *     void readsSeeCommittedRows(EmbeddedPostgresCluster cluster) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EmbeddedPostgresExtension.class)
public @interface WithEmbeddedCluster {

    /** Number of streaming replicas. */
    int replicas() default 1;

    /** Server settings as {@code name=value}, applied to every node, e.g. {@code "max_connections=50"}. */
    String[] settings() default {};

    /**
     * {@link Scope#CLASS}: a cluster per test class, stopped after its last test. {@link Scope#JVM}: one cluster
     * shared by every class that asks for the same replicas and settings, stopped when the test run ends. Use JVM
     * scope only for tests that do not stop, kill or promote nodes.
     */
    Scope scope() default Scope.CLASS;

    /** Lifetime of an injected cluster. */
    enum Scope {
        CLASS,
        JVM
    }
}
