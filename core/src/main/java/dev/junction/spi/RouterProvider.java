package dev.junction.spi;

import dev.junction.DatabaseSettings;
import java.nio.file.Path;
import java.util.Objects;

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

    /**
     * Reads {@code file} once and starts the router it describes, together with the options of the Database that
     * the same file sets. The default calls {@link #fromConfig(Path)} and takes {@link DatabaseSettings#defaults()},
     * for files that set no Database options.
     *
     * @throws dev.junction.ConfigurationException naming the file, line, key and fix of every problem found; every
     *                                             option is checked before the router starts
     */
    default Configured configure(Path file) {
        return new Configured(fromConfig(file), DatabaseSettings.defaults());
    }

    /**
     * A started router and the Database options read from the same file.
     *
     * @param router   the router, owned by the caller (close it when the Database is not built)
     * @param settings the {@code database:} options of the file, or the defaults
     */
    record Configured(ConnectionRouter router, DatabaseSettings settings) {
        public Configured {
            Objects.requireNonNull(router, "router");
            Objects.requireNonNull(settings, "settings");
        }
    }
}
