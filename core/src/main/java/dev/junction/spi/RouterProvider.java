package dev.junction.spi;

import java.nio.file.Path;

/**
 * Builds a {@link ConnectionRouter} from a configuration file, for {@link dev.junction.Junction#fromConfig(Path)}.
 * Found with {@link java.util.ServiceLoader}: the routing module registers one, so core needs no compile-time
 * dependency on it. Implementations must be thread-safe and either return a started router or throw, leaving
 * nothing running.
 */
public interface RouterProvider {

    /**
     * Reads {@code file} and starts the router it describes.
     *
     * @throws dev.junction.ConfigurationException naming the file, line, key and fix of every problem found
     */
    ConnectionRouter fromConfig(Path file);
}
