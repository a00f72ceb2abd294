package dev.junction.samples.service;

import org.jspecify.annotations.Nullable;

/**
 * The service's input limits and their checks, applied before any database access so that an oversized or malformed
 * input costs no connection. The schema repeats the length limits as check constraints. Messages name the field, the
 * rule and the length received, never the value.
 */
public final class Inputs {
    /** The largest request body accepted, in bytes; a larger one is answered with 413. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** The longest display name, group name or city, in characters. */
    public static final int MAX_NAME = 100;
    /** The longest e-mail address (RFC 5321's path limit). */
    public static final int MAX_EMAIL = 254;
    /** The longest bio. */
    public static final int MAX_BIO = 2000;
    /** The longest search prefix. */
    public static final int MAX_QUERY = 100;
    /** The most search results per request. */
    public static final int MAX_LIMIT = 50;
    /** The members a group page shows. */
    public static final int MEMBER_PAGE = 50;

    private Inputs() {
    }

    static String email(@Nullable String value) {
        String v = required("email", value, MAX_EMAIL);
        int at = v.indexOf('@');
        if (v.length() < 3 || at <= 0 || at != v.lastIndexOf('@') || at == v.length() - 1) {
            throw DirectoryException.invalid("email must look like name@domain");
        }
        return v;
    }

    static String displayName(@Nullable String value) {
        return required("name", value, MAX_NAME);
    }

    static @Nullable String city(@Nullable String value) {
        return optional("city", value, MAX_NAME);
    }

    static @Nullable String bio(@Nullable String value) {
        return optional("bio", value, MAX_BIO);
    }

    static String code(String field, @Nullable String value) {
        return required(field, value, 16);
    }

    static String query(@Nullable String value) {
        return required("q", value, MAX_QUERY);
    }

    static int limit(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return 20;
        }
        int limit = number("limit", value);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw DirectoryException.invalid("limit must be 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    static long id(String field, @Nullable String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            throw DirectoryException.invalid(field + " must be a positive number");
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw DirectoryException.invalid(field + " must be a positive number");
            }
        }
        long id = Long.parseLong(value);
        if (id < 1) {
            throw DirectoryException.invalid(field + " must be a positive number");
        }
        return id;
    }

    private static int number(String field, String value) {
        long n = id(field, value);
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    private static String required(String field, @Nullable String value, int max) {
        if (value == null || value.isBlank()) {
            throw DirectoryException.invalid(field + " is required");
        }
        return checked(field, value, max);
    }

    private static @Nullable String optional(String field, @Nullable String value, int max) {
        return value == null || value.isEmpty() ? null : checked(field, value, max);
    }

    private static String checked(String field, String value, int max) {
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw DirectoryException.invalid(field + " must be at most " + max + " characters, but has " + length);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) { // PostgreSQL text cannot hold NUL; refuse it here rather than as a 500
                throw DirectoryException.invalid(field + " must not contain NUL characters");
            }
        }
        return value.strip();
    }
}
