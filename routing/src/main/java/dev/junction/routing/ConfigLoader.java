package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.YamlConfigReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads a {@link RoutingConfig} from a YAML file ({@code junction.yaml}; every key is listed in
 * {@code docs/configuration.md}). Thread-safe: all methods are static and keep no state.
 *
 * <p>Guarantees: every error names the file, the line and the key, and says how to fix it; all errors in the file
 * are reported at once; unknown keys are rejected (with "did you mean" when a known key is close); values may use
 * {@code ${ENV_VAR}} and {@code ${ENV_VAR:-default}}; {@code JUNCTION_USER} and {@code JUNCTION_PASSWORD} override the
 * credentials and {@code JUNCTION_NODE_<NAME>_URL} a node's URL. Secrets never appear in messages. Checks that need
 * the servers (roles, connection budget) run later, in {@link ClusterRouter#create(RoutingConfig)}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * Loads the file with the process environment.
     *
     * @throws ConfigurationException when the file cannot be read or is invalid
     */
    public static RoutingConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads the file with the given environment (tests pass their own map).
     *
     * @throws ConfigurationException when the file cannot be read or is invalid
     */
    public static RoutingConfig load(Path file, Map<String, String> env) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return YamlConfigReader.read(file.toString(), reader, env);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read configuration file '" + file + "' (" + e
                    + "); check the path and its permissions", e);
        }
    }

    /**
     * Every key a file may hold, as its path: {@code replicaLag.max}, {@code resilience.spill.primaryShare},
     * {@code nodes[].pool.maximumPoolSize} ({@code []} stands for any item of the list), in the order the reader
     * reads them; only keys that take a value, not the sections around them. The list comes from the reader itself
     * (the keys it asks for when it reads a file holding every section), so it always matches what {@link #load}
     * accepts: another front end, such as the Spring Boot starter's {@code junction.*} properties, tests against it
     * that it offers every key.
     */
    public static List<String> keys() {
        return YamlConfigReader.keys();
    }

    /**
     * Parses YAML text; {@code name} stands for the file in messages.
     *
     * @throws ConfigurationException when the text is invalid
     */
    public static RoutingConfig parse(String yaml, String name, Map<String, String> env) {
        return YamlConfigReader.read(name, new StringReader(yaml), env);
    }
}
