package dev.junction.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The operating-system account that runs PostgreSQL. PostgreSQL refuses to run as root, so when the JVM is root the
 * server runs as an unprivileged account ({@code junction.pg.user} / {@code JUNCTION_PG_USER}, else
 * {@code postgres}, else {@code nobody}) through {@code setpriv} (which execs, so the child process is the server
 * itself) or {@code runuser}. Otherwise the server runs as the current user.
 */
final class ServerAccount {
    private final @Nullable String user;
    private final List<String> prefix;

    private ServerAccount(@Nullable String user, List<String> prefix) {
        this.user = user;
        this.prefix = prefix;
    }

    static ServerAccount detect() {
        if (!isRoot()) {
            return new ServerAccount(null, List.of());
        }
        String configured = System.getProperty("junction.pg.user", System.getenv("JUNCTION_PG_USER"));
        String user = configured != null && !configured.isBlank() ? configured
                : exists("postgres") ? "postgres" : "nobody";
        if (!exists(user)) {
            throw new TestkitException("running as root, but the account '" + user + "' chosen to run PostgreSQL"
                    + " does not exist; create it (useradd --system " + user + ") or name another unprivileged"
                    + " account with -Djunction.pg.user=<name>");
        }
        List<String> prefix = Files.isExecutable(Path.of("/usr/bin/setpriv"))
                ? List.of("/usr/bin/setpriv", "--reuid=" + user, "--regid=" + group(user), "--init-groups", "--")
                : List.of("runuser", "-u", user, "--");
        return new ServerAccount(user, prefix);
    }

    boolean unprivileged() {
        return user != null;
    }

    /** The command that runs {@code command} as this account. */
    List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /** Hands a directory tree we created to the server account, so it can own its data directory. */
    void own(Path root) {
        if (user == null) {
            return;
        }
        try {
            UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = lookup.lookupPrincipalByName(user);
            var group = lookup.lookupPrincipalByGroupName(group(user));
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    Files.setOwner(p, owner);
                    Files.getFileAttributeView(p, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS).setGroup(group);
                }
            }
        } catch (IOException e) {
            throw new TestkitException("could not hand '" + root + "' to the account '" + user + "' that runs"
                    + " PostgreSQL (" + e + "); choose a base directory on a local POSIX file system", e);
        }
    }

    @Override
    public String toString() {
        return user == null ? "current user" : "account '" + user + "'";
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || "0".equals(run("id", "-u"));
    }

    private static boolean exists(String user) {
        return run("id", "-u", user) != null;
    }

    private static String group(String user) {
        String gid = run("id", "-gn", user);
        return gid == null ? user : gid;
    }

    private static @Nullable String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
