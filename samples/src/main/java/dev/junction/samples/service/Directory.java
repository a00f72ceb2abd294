package dev.junction.samples.service;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The group directory's operations, implemented three times: {@link NaiveDirectory} (a first version),
 * {@link TunedDirectory} (a skilled team without Junction) and {@link JunctionDirectory}. All return equal values for
 * equal database contents; they differ in how they use the database.
 *
 * <p>Inputs reach an implementation already checked against {@link Inputs}; codes, ids and e-mail addresses are
 * checked against the database by the implementation, which throws {@link DirectoryException} for a client error.
 * Every value travels as a bind value, never as SQL text. {@code token} parameters are the client's
 * {@code Junction-Consistency} header (null when absent): a read after it sees the write that produced it.
 * Implementations are thread-safe; {@link #close()} releases their pools.
 */
public interface Directory extends AutoCloseable {

    /** {@code naive}, {@code tuned} or {@code junction}: the name in reports. */
    String name();

    /**
     * Creates a user and their membership in a group.
     *
     * @throws DirectoryException 400 for an unknown country or language code, 404 for an unknown group, 409 when the
     *                            e-mail address is taken; nothing is written then
     */
    Written<Long> signup(Signup signup);

    /**
     * A group with its member count and the first {@link Inputs#MEMBER_PAGE} members, ordered by role rank, join
     * time and user id, each with the labels of their role and status.
     */
    Optional<GroupPage> members(long groupId, @Nullable String token);

    /**
     * Users whose display name starts with {@code prefix} (case-insensitive, taken literally: {@code %} and
     * {@code _} match themselves), ordered by lower-case name and id, at most {@code limit}, each with their country
     * and their groups and roles.
     */
    List<SearchHit> search(String prefix, int limit, @Nullable String token);

    /** A user's profile, at least as fresh as {@code token}. */
    Optional<Profile> profile(long userId, @Nullable String token);

    /**
     * Changes a user's display name, city and bio.
     *
     * @return whether the user exists (false: nothing was written), with the token of the commit
     */
    Written<Boolean> updateProfile(long userId, ProfileUpdate update);

    /** Counters since start, for the benchmark. */
    Stats stats();

    @Override
    void close();

    /**
     * A write's result and, for implementations that issue them, the commit's consistency token to hand to the
     * client (null otherwise).
     */
    record Written<T>(T value, @Nullable String token) {
    }

    /** A sign-up: the new user and the group they join as an active member. */
    record Signup(String email, String displayName, String countryCode, String languageCode, @Nullable String city,
                  long groupId) {
    }

    /** The new values of a profile. */
    record ProfileUpdate(String displayName, @Nullable String city, @Nullable String bio) {
    }

    /** A user as the profile endpoint shows them: codes resolved to names. */
    record Profile(long id, String email, String displayName, String country, String language, @Nullable String city,
                   @Nullable String bio) {
    }

    /** One member of a group: role and status as labels. */
    record Member(long userId, String displayName, String role, String status) {
    }

    /** A group, its member count and a page of its members. */
    record GroupPage(long id, String name, String city, String country, int memberCount, List<Member> members) {
        public GroupPage {
            members = List.copyOf(members);
        }
    }

    /** A group a user belongs to, with the user's role label in it. */
    record GroupRole(long groupId, String groupName, String role) {
    }

    /** A search result: a user with their country's name and their groups, by group id. */
    record SearchHit(long id, String displayName, @Nullable String city, String country, List<GroupRole> groups) {
        public SearchHit {
            groups = List.copyOf(groups);
        }
    }

    /**
     * Counters of an implementation since it started.
     *
     * @param roundTrips       database round trips: statements, commits and rollbacks (for {@code junction} as its
     *                         {@code UnitReport}s count them, including the budget settings of a write)
     * @param connectionHoldNanos total time connections were out of their pools
     * @param waitingForConnection threads waiting for a pooled connection right now, over all pools
     * @param spills           eventual reads served by the primary because every replica was saturated (Junction's
     *                         route reason {@code spill_primary}); 0 for implementations that never do so
     */
    record Stats(long roundTrips, long connectionHoldNanos, int waitingForConnection, long spills) {
    }
}
