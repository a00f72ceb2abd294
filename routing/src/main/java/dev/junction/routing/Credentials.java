package dev.junction.routing;

import dev.junction.routing.internal.Checks;
import java.util.Objects;

/**
 * The user and password every pool and the monitor log in with. Immutable and thread-safe. The password is never
 * part of {@link #toString()}, log lines or exception messages.
 */
public final class Credentials {
    private final String user;
    private final String password;

    private Credentials(String user, String password) {
        this.user = Checks.notBlank("user", user);
        this.password = Objects.requireNonNull(password, "password");
    }

    /**
     * @param user     the PostgreSQL role to log in as
     * @param password its password; may be empty for trust or peer authentication
     * @throws IllegalArgumentException when {@code user} is blank
     */
    public static Credentials of(String user, String password) {
        return new Credentials(user, password);
    }

    public String user() {
        return user;
    }

    /** The secret. Hand it only to the driver. */
    public String password() {
        return password;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.user.equals(user) && c.password.equals(password);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password.isEmpty() ? "<empty>" : "****") + "]";
    }
}
