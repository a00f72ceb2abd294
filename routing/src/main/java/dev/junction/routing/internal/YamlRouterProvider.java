package dev.junction.routing.internal;

import dev.junction.routing.ConfigLoader;
import dev.junction.routing.RoutingRouter;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.RouterProvider;
import java.nio.file.Path;

/** Registered with ServiceLoader so {@code Junction.fromConfig(path)} can build a {@link RoutingRouter}. */
public final class YamlRouterProvider implements RouterProvider {

    @Override
    public ConnectionRouter fromConfig(Path file) {
        return RoutingRouter.create(ConfigLoader.load(file));
    }
}
