package dev.junction.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's module-info.java files as a modular application meets them: core, routing, graph, the testkit and the
 * doctor, with their dependencies, are resolved on a module path (built from this test's class path) into a module
 * layer of their own. The tests of every module run on the class path, where {@code exports}, {@code uses} and
 * {@code provides} have no effect, so a missing {@code uses} clause or a forgotten export would otherwise show only in
 * a user's application.
 */
class ModulePathTest {
    /** Every Junction module that has a module-info, with the packages it must export: its API, no internal one. */
    private static final Map<String, Set<String>> EXPORTS = Map.of(
            "dev.junction.core", Set.of("dev.junction", "dev.junction.lookup", "dev.junction.metrics",
                    "dev.junction.spi"),
            "dev.junction.routing", Set.of("dev.junction.routing"),
            "dev.junction.graph", Set.of("dev.junction.graph"),
            "dev.junction.testkit", Set.of("dev.junction.testkit"),
            "dev.junction.doctor", Set.of("dev.junction.doctor"));

    private static ModuleLayer layer;

    @BeforeAll
    static void resolveTheLibraryOnAModulePath() {
        Map<String, Path> observable = new HashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            // A directory is a module only when it holds a module-info.class (the reactor's target/classes); test
            // output and plain directories are not modules.
            boolean module = Files.isDirectory(path) ? Files.exists(path.resolve("module-info.class"))
                    : entry.endsWith(".jar");
            if (module) {
                for (ModuleReference ref : ModuleFinder.of(path).findAll()) {
                    observable.putIfAbsent(ref.descriptor().name(), path);
                }
            }
        }
        // Only what the roots require (static requirements too, when present): the whole class path as a module path
        // would also hold unrelated jars that split packages.
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(EXPORTS.keySet());
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (ModuleFinder.ofSystem().find(name).isPresent() || !needed.add(name)) {
                continue;
            }
            Path path = observable.get(name);
            assertThat(path).as("module %s, required by a Junction module, on the test class path", name).isNotNull();
            ModuleDescriptor descriptor = ModuleFinder.of(path).find(name).orElseThrow().descriptor();
            for (ModuleDescriptor.Requires r : descriptor.requires()) {
                boolean optional = r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC);
                if (!optional || observable.containsKey(r.name())) {
                    todo.push(r.name());
                }
            }
        }
        ModuleFinder finder = ModuleFinder.of(needed.stream().map(observable::get).distinct().toArray(Path[]::new));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolve(finder, ModuleFinder.of(), EXPORTS.keySet());
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(configuration,
                List.of(ModuleLayer.boot()), ClassLoader.getPlatformClassLoader());
        // Only to call core's Meters below as the library itself does; no user gets this.
        controller.addOpens(controller.layer().findModule("dev.junction.core").orElseThrow(),
                "dev.junction.internal.unit", ModulePathTest.class.getModule());
        layer = controller.layer();
    }

    private static ModuleDescriptor descriptor(String module) {
        return layer.findModule(module).orElseThrow().getDescriptor();
    }

    private static Class<?> load(String module, String className) throws ClassNotFoundException {
        return Class.forName(className, false, layer.findLoader(module));
    }

    @Test
    void eachModuleExportsItsApiPackagesAndNoInternalOne() {
        for (var expected : EXPORTS.entrySet()) {
            ModuleDescriptor d = descriptor(expected.getKey());
            assertThat(d.isAutomatic()).as(expected.getKey()).isFalse();
            Set<String> exported = d.exports().stream().filter(e -> !e.isQualified())
                    .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
            assertThat(exported).as("packages %s exports", expected.getKey())
                    .containsExactlyInAnyOrderElementsOf(expected.getValue());
            // every package that is not internal is API and must be exported, so a new API package is not
            // silently unreachable on the module path
            Set<String> notExported = new TreeSet<>(d.packages());
            notExported.removeAll(exported);
            assertThat(notExported).as("packages %s keeps to itself", expected.getKey())
                    .allMatch(ModuleBoundariesTest::isInternal);
        }
    }

    @Test
    void theServiceLoaderFindsRoutingsRouterProviderAndMeterBinder() throws Exception {
        Map<String, List<String>> providers = new HashMap<>();
        for (String service : new String[] {"dev.junction.spi.RouterProvider",
                "dev.junction.metrics.RouterMeterBinder"}) {
            List<String> names = new ArrayList<>();
            ServiceLoader.load(layer, load("dev.junction.core", service)).stream()
                    .forEach(p -> names.add(p.type().getName()));
            providers.put(service, names);
        }
        assertThat(providers).containsEntry("dev.junction.spi.RouterProvider",
                List.of("dev.junction.routing.internal.YamlRouterProvider"));
        assertThat(providers).containsEntry("dev.junction.metrics.RouterMeterBinder",
                List.of("dev.junction.routing.internal.RoutingMeterBinder"));
    }

    /**
     * Core looks the binder up itself (as Junction.builder().meterRegistry(registry) does), which on the module path
     * throws ServiceConfigurationError unless core's module-info declares that it uses the service.
     */
    @Test
    void coreMayLoadTheRouterMeterBinderService() throws Exception {
        Class<?> routerType = load("dev.junction.core", "dev.junction.spi.ConnectionRouter");
        Object router = Proxy.newProxyInstance(routerType.getClassLoader(), new Class<?>[] {routerType},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        Method bind = null;
        for (Method m : load("dev.junction.core", "dev.junction.internal.unit.Meters").getMethods()) {
            if (m.getName().equals("bindRouter")) {
                bind = m;
            }
        }
        assertThat(bind).isNotNull();
        // routing's binder knows only its ClusterRouter, so for this router no binding is made (and no registry read)
        assertThat(bind.invoke(null, router, null)).isNull();
    }
}
