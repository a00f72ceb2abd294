package dev.junction.routing;

import dev.junction.ConfigurationException;
import dev.junction.routing.internal.Checks;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The user and password every pool and the monitor log in with. Immutable and thread-safe, with value equality. The
 * password is never part of {@link #toString()}, log lines or exception messages. There are no defaults: the user is
 * mandatory, and {@link Builder#build()} refuses a builder without one.
 */
public final class Credentials {
    private final String user;
    private final String password;

    private Credentials(Builder b) {
        this.user = b.user;
        this.password = b.password;
    }

    /** A builder with no user and an empty password. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding {@code existing}'s values, e.g. to change the password on rotation. */
    public static Builder from(Credentials existing) {
        Objects.requireNonNull(existing, "existing");
        Builder b = new Builder();
        b.user = existing.user;
        b.password = existing.password;
        return b;
    }

    /**
     * Shorthand for {@code builder().user(user).password(password).build()}: both values are always given together,
     * so the one-liner is what callers write.
     *
     * @param user     the PostgreSQL role to log in as
     * @param password its password; may be empty for trust or peer authentication
     * @throws ConfigurationException when {@code user} is blank
     */
    public static Credentials of(String user, String password) {
        return builder().user(user).password(password).build();
    }

    /** The PostgreSQL role to log in as. */
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
        // the password is left out on purpose: a hash must not help guess it
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password.isEmpty() ? "<empty>" : "****") + "]";
    }

    /**
     * Options of {@link Credentials}. Mutable and not thread-safe; {@link #user(String)} checks its value at once
     * ({@link ConfigurationException}) and {@link #build()} refuses a missing user.
     */
    public static final class Builder {
        private @Nullable String user;
        private String password = "";

        private Builder() {
        }

        /** @throws ConfigurationException when blank */
        public Builder user(String value) {
            this.user = Checks.notBlank("user", value);
            return this;
        }

        /** The password; may be empty (the default) for trust or peer authentication. */
        public Builder password(String value) {
            this.password = Objects.requireNonNull(value, "password");
            return this;
        }

        /** @throws ConfigurationException when no user was set */
        public Credentials build() {
            if (user == null) {
                throw new ConfigurationException("user must be set: call user(name) with the PostgreSQL role to log"
                        + " in as");
            }
            return new Credentials(this);
        }
    }
}
