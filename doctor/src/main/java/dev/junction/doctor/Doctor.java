package dev.junction.doctor;

import dev.junction.ConfigurationException;
import dev.junction.routing.ConfigLoader;
import dev.junction.routing.Diagnostics;
import dev.junction.routing.RoutingConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code doctor}: checks a deployment described by a {@code junction.yaml} and prints what it found, for people by
 * default or as JSON with {@code --json}. It connects to every node once (application name {@code junction-doctor})
 * and only reads: the topology and replica lag, the connection budget (pools x app instances + monitor connections
 * against {@code max_connections} less the reserves, with the arithmetic; a warning over 80%), foreign keys without a
 * supporting index, sessions running a statement or idle in a transaction past a threshold, and the top statements of
 * {@code pg_stat_statements} where it is installed. See {@code docs/doctor.md}.
 *
 * <pre>{@code
 * ./dev doctor junction.yaml [--json] [--long-running 1m] [--idle-in-transaction 30s] [--top 5]
 * }</pre>
 *
 * <p>Exit codes: {@value #OK} when nothing critical was found (warnings may be), {@value #CRITICAL} when a node is
 * unreachable, refuses the login or is in the wrong role, or a connection budget is exceeded, and {@value #USAGE}
 * when the doctor could not run (bad arguments, an unreadable or invalid configuration). The output never contains
 * the password, bind values or literals of queries (statements are shown as shapes).
 */
public final class Doctor {
    /** Exit code: no critical finding. */
    public static final int OK = 0;
    /** Exit code: at least one critical finding. */
    public static final int CRITICAL = 1;
    /** Exit code: the doctor could not run. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = "usage: doctor <junction.yaml> [--json] [--long-running <duration>]"
            + " [--idle-in-transaction <duration>] [--top <n>]\n"
            + "  --json                        print JSON instead of text\n"
            + "  --long-running <duration>     report statements running this long or longer (default 1m)\n"
            + "  --idle-in-transaction <dur.>  report sessions idle in a transaction this long or longer (default"
            + " 30s)\n"
            + "  --top <n>                     statements of pg_stat_statements to list per node (default 5)\n"
            + "Durations: 500ms, 30s, 5m, 1h. Exit codes: 0 no critical finding, 1 critical findings, 2 could not"
            + " run.";

    private Doctor() {
    }

    /** Runs the doctor and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the doctor with the process environment (for {@code ${VAR}} in the file and {@code JUNCTION_*} overrides)
     * and returns its exit code instead of exiting.
     *
     * @param out receives the report
     * @param err receives usage and configuration errors
     * @return {@link #OK}, {@link #CRITICAL} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(Arrays.asList(args), System.getenv(), out, err);
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path file = null;
        Options options = Options.DEFAULTS;
        List<String> rest = new ArrayList<>(args);
        try {
            while (!rest.isEmpty()) {
                String arg = rest.remove(0);
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "-h", "--help" -> {
                        out.println(USAGE_TEXT);
                        return OK;
                    }
                    case "--json" -> options = new Options(options.longRunning(), options.idleInTransaction(),
                            options.top(), true);
                    case "--long-running" -> options = new Options(duration(arg, value, rest),
                            options.idleInTransaction(), options.top(), options.json());
                    case "--idle-in-transaction" -> options = new Options(options.longRunning(),
                            duration(arg, value, rest), options.top(), options.json());
                    case "--top" -> options = new Options(options.longRunning(), options.idleInTransaction(),
                            top(value(arg, value, rest)), options.json());
                    default -> {
                        if (arg.startsWith("-") || file != null) {
                            throw new IllegalArgumentException("unknown argument '" + arg + "'");
                        }
                        file = Path.of(arg);
                    }
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("no configuration file given");
            }
        } catch (IllegalArgumentException e) {
            err.println("doctor: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (!Files.isRegularFile(file)) {
            err.println("doctor: configuration file '" + file + "' does not exist or is not a file");
            return USAGE;
        }
        RoutingConfig config;
        try {
            config = ConfigLoader.load(file, env);
            Diagnostics.validate(config);
        } catch (ConfigurationException e) {
            err.println("doctor: " + e.getMessage());
            return USAGE;
        }
        DoctorReport report;
        try (Inspector inspector = new Inspector(config, options)) {
            report = inspector.examine(file.toString());
        }
        out.print(options.json() ? JsonReport.render(report) : TextReport.render(report));
        out.flush();
        return report.exitCode();
    }

    private static String value(String option, @Nullable String inline, List<String> rest) {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static Duration duration(String option, @Nullable String inline,
                                     List<String> rest) {
        String text = value(option, inline, rest);
        try {
            return Diagnostics.parseDuration(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must be a duration such as 30s or 5m, but was '" + text
                    + "'");
        }
    }

    private static int top(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--top must be a whole number >= 0, but was '" + text + "'");
    }
}
