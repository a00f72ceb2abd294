package dev.junction.testkit;

import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit Jupiter extension behind {@link WithEmbeddedCluster}: resolves {@link EmbeddedPostgresCluster} parameters,
 * starting the cluster on first use and closing it when its scope (test class or test run) ends, also when tests
 * fail. Thread-safe for parallel test execution.
 */
public final class EmbeddedPostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedPostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedPostgresCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        WithEmbeddedCluster spec = AnnotationSupport.findAnnotation(testClass, WithEmbeddedCluster.class)
                .orElseThrow(() -> new ParameterResolutionException("annotate " + testClass.getName()
                        + " with @WithEmbeddedCluster to inject an EmbeddedPostgresCluster"));
        String key = spec.replicas() + "|" + String.join(",", spec.settings());
        ExtensionContext owner = spec.scope() == WithEmbeddedCluster.Scope.JVM ? context.getRoot()
                : classContext(context);
        return owner.getStore(NAMESPACE).computeIfAbsent(key, k -> start(spec), EmbeddedPostgresCluster.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static EmbeddedPostgresCluster start(WithEmbeddedCluster spec) {
        EmbeddedPostgresCluster.Builder builder = EmbeddedPostgresCluster.builder().replicas(spec.replicas());
        Arrays.stream(spec.settings()).forEach(s -> {
            int eq = s.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("@WithEmbeddedCluster settings must look like name=value, but"
                        + " was '" + s + "'");
            }
            builder.setting(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        });
        return builder.start();
    }
}
