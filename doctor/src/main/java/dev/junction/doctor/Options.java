package dev.junction.doctor;

import java.time.Duration;

/**
 * The doctor's command-line options.
 *
 * @param longRunning       an active statement running at least this long is reported (default 1m)
 * @param idleInTransaction a session idle in a transaction at least this long is reported (default 30s)
 * @param top               how many statements of pg_stat_statements to list per node (default 5)
 * @param json              JSON instead of text
 */
record Options(Duration longRunning, Duration idleInTransaction, int top, boolean json) {
    static final Options DEFAULTS = new Options(Duration.ofMinutes(1), Duration.ofSeconds(30), 5, false);
}
