package dev.junction.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of issue 18, checked on the main classes of every library module on this module's test class
 * path (see pom.xml). A module is known by its packages: {@code dev.junction.routing..} is routing,
 * {@code dev.junction.testkit..} the testkit, {@code dev.junction.doctor..} the doctor, {@code dev.junction.codegen..}
 * the generator, {@code dev.junction.graph..} the graph runtime, {@code dev.junction.maven..} the Maven plugin,
 * {@code dev.junction.spring..} the Spring Boot starter, {@code dev.junction.samples..} the samples, and the rest of
 * {@code dev.junction} ({@code dev.junction}, {@code .internal..}, {@code .lookup..}, {@code .metrics..},
 * {@code .spi..}) is core. JPMS (each module's module-info.java) already refuses unexported packages at compile time
 * for code on the module path; these rules hold for class-path users and for tests too.
 */
class ModuleBoundariesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.junction");
    }

    /** The module a package belongs to, by the naming above. */
    static String moduleOf(String packageName) {
        for (String module : new String[] {"routing", "testkit", "doctor", "codegen", "graph", "maven", "spring",
                "samples"}) {
            String root = "dev.junction." + module;
            if (packageName.equals(root) || packageName.startsWith(root + ".")) {
                return module;
            }
        }
        return "core";
    }

    static boolean isInternal(String packageName) {
        return packageName.endsWith(".internal") || packageName.contains(".internal.");
    }

    private static boolean isJunction(JavaClass c) {
        return c.getPackageName().equals("dev.junction") || c.getPackageName().startsWith("dev.junction.");
    }

    /** Fails for every dependency of a class on a Junction class for which {@code forbidden} holds. */
    private static ArchCondition<JavaClass> notDependOnJunctionClasses(String description,
                                                                      BiPredicate<JavaClass, JavaClass> forbidden) {
        return new ArchCondition<>(description) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass().getBaseComponentType();
                    if (isJunction(target) && forbidden.test(origin, target)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    @Test
    void theRulesSeeEveryLibraryModule() {
        // guards against a rule passing because the import found nothing
        for (String probe : new String[] {"dev.junction.Database", "dev.junction.routing.ClusterRouter",
                "dev.junction.testkit.EmbeddedPostgresCluster", "dev.junction.doctor.Doctor",
                "dev.junction.graph.GraphQuery", "dev.junction.codegen.JunctionCodegen",
                "dev.junction.maven.GenerateMojo", "dev.junction.spring.JunctionAutoConfiguration"}) {
            if (!classes.contain(probe)) {
                throw new AssertionError("the architecture rules did not import " + probe);
            }
        }
    }

    @Test
    void coreDependsOnNoOtherJunctionModule() {
        ArchRule rule = classes().that(inModule("core")).should(notDependOnJunctionClasses(
                "depend on no other Junction module", (origin, target) -> !moduleOf(target.getPackageName())
                        .equals("core")));
        rule.check(classes);
    }

    @Test
    void noModuleDependsOnAnotherModulesInternalPackages() {
        ArchRule rule = classes().should(notDependOnJunctionClasses(
                "depend on no internal package of another module", (origin, target) ->
                        isInternal(target.getPackageName()) && !moduleOf(target.getPackageName())
                                .equals(moduleOf(origin.getPackageName()))));
        rule.check(classes);
    }

    @Test
    void nothingDependsOnTheSamples() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.junction.samples..")
                .should().dependOnClassesThat().resideInAPackage("dev.junction.samples..");
        rule.check(classes);
    }

    /** junction-graph is the runtime an application ships: no generator, no migrations, no embedded database. */
    @Test
    void theGraphRuntimeDependsOnNeitherCodegenNorFlywayNorTheTestkit() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.junction.graph..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.junction.codegen..", "org.flywaydb..",
                        "dev.junction.testkit..", "org.jooq.codegen..", "org.jooq.meta..");
        rule.check(classes);
    }

    /**
     * The positive form of the rule above: junction-graph reads only core, jOOQ's runtime and what core brings with
     * it (the JDK, SLF4J, JSpecify), so a new dependency of the graph runtime is a decision, not an accident.
     */
    @Test
    void theGraphRuntimeDependsOnlyOnCoreAndJooq() {
        ArchRule rule = classes().that().resideInAPackage("dev.junction.graph..")
                .should().onlyDependOnClassesThat(DescribedPredicate.describe(
                        "are in the JDK, core, junction-graph, jOOQ's runtime, SLF4J or JSpecify",
                        ModuleBoundariesTest::allowedForTheGraphRuntime));
        rule.check(classes);
    }

    private static boolean allowedForTheGraphRuntime(JavaClass dependency) {
        JavaClass target = dependency.getBaseComponentType();
        if (target.isPrimitive()) {
            return true;
        }
        String p = target.getPackageName();
        if (isJunction(target)) {
            String module = moduleOf(p);
            return module.equals("core") || module.equals("graph");
        }
        boolean jooqRuntime = (p.equals("org.jooq") || p.startsWith("org.jooq."))
                && !p.startsWith("org.jooq.codegen") && !p.startsWith("org.jooq.meta");
        return p.startsWith("java.") || jooqRuntime || p.startsWith("org.slf4j") || p.startsWith("org.jspecify");
    }

    /**
     * Issue 22: tracing's dependencies stay optional. In core, only the observation adapter (and the builder methods
     * that take a registry) touch micrometer-observation, and only the snapshot adapter touches context-propagation;
     * both are loaded only when a registry is given or the jar is present, so core runs with neither on the class
     * path.
     */
    @Test
    void inCoreOnlyTheAdaptersTouchMicrometerObservationAndContextPropagation() {
        noClasses().that(inModule("core")).and().doNotHaveFullyQualifiedName(
                        "dev.junction.internal.observation.ObservationTracing")
                .and().doNotHaveFullyQualifiedName("dev.junction.internal.observation.ObservationTracing$Unit")
                .and().doNotHaveFullyQualifiedName("dev.junction.internal.observation.ObservationTracing$Unit$1")
                .and().doNotHaveFullyQualifiedName("dev.junction.internal.observation.ObservationTracing$Unit$2")
                .and().doNotHaveFullyQualifiedName("dev.junction.Junction$Builder")
                .and().doNotHaveFullyQualifiedName("dev.junction.Junction$ConfiguredBuilder")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer.observation..")
                .check(classes);
        noClasses().that(inModule("core")).and().doNotHaveFullyQualifiedName(
                        "dev.junction.internal.observation.ContextSnapshots")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer.context..")
                .check(classes);
    }

    private static DescribedPredicate<JavaClass> inModule(String module) {
        return DescribedPredicate.describe("are in module " + module,
                c -> isJunction(c) && moduleOf(c.getPackageName()).equals(module));
    }
}
