package dev.junction.routing.internal;

import dev.junction.routing.ConfigLoader;
import dev.junction.routing.ClusterRouter;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.RouterProvider;
import java.nio.file.Path;

/** Registered with ServiceLoader so {@code Junction.fromConfig(path)} can build a {@link ClusterRouter}. */
public final class YamlRouterProvider implements RouterProvider {

    @Override
    public ConnectionRouter fromConfig(Path file) {
        return ClusterRouter.create(ConfigLoader.load(file));
    }
}
