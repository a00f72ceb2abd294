package dev.junction.routing.internal;

import dev.junction.routing.ClusterRouter;
import dev.junction.routing.ConfigLoader;
import dev.junction.routing.RoutingConfig;
import dev.junction.spi.ConnectionRouter;
import dev.junction.spi.RouterProvider;
import java.nio.file.Path;

/** Registered with ServiceLoader so {@code Junction.fromConfig(path)} can build a {@link ClusterRouter}. */
public final class YamlRouterProvider implements RouterProvider {

    @Override
    public ConnectionRouter fromConfig(Path file) {
        return ClusterRouter.create(ConfigLoader.load(file));
    }

    /** The file's {@code database:} section comes with the router: one read, checked before any node is contacted. */
    @Override
    public Configured configure(Path file) {
        RoutingConfig config = ConfigLoader.load(file);
        return new Configured(ClusterRouter.create(config), config.database());
    }
}
