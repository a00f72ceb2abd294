package dev.junction.internal.observation;

import java.util.Locale;

/**
 * The {@code server.address} and {@code server.port} of a node, read from its JDBC URL: the first host of the URL
 * and its port (PostgreSQL's 5432 when the URL names none). Only the host and port are taken: user info before the
 * host and the parameters after the path, where credentials may sit, are never part of the result. Pure and
 * thread-safe.
 *
 * @param host the host name or address, IPv6 addresses without brackets
 * @param port the port
 */
record ServerAddress(String host, int port) {
    static final int DEFAULT_PORT = 5432;
    static final ServerAddress UNKNOWN = new ServerAddress("", -1);

    /** The first host and port of a {@code jdbc:postgresql:} URL; {@link #UNKNOWN} for any other text. */
    static ServerAddress parse(String url) {
        String prefix = "jdbc:postgresql:";
        if (!url.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return UNKNOWN;
        }
        String rest = url.substring(prefix.length());
        if (!rest.startsWith("//")) {
            return new ServerAddress("localhost", DEFAULT_PORT); // jdbc:postgresql:database
        }
        int end = rest.length();
        for (int i = 2; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String authority = rest.substring(2, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        int comma = authority.indexOf(',');
        String first = comma >= 0 ? authority.substring(0, comma) : authority;
        String host;
        String port = null;
        if (first.startsWith("[")) {
            int close = first.indexOf(']');
            if (close < 0) {
                return UNKNOWN;
            }
            host = first.substring(1, close);
            if (close + 1 < first.length() && first.charAt(close + 1) == ':') {
                port = first.substring(close + 2);
            }
        } else {
            int colon = first.lastIndexOf(':');
            host = colon >= 0 ? first.substring(0, colon) : first;
            port = colon >= 0 ? first.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        int p = DEFAULT_PORT;
        if (port != null && !port.isEmpty()) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                return UNKNOWN;
            }
        }
        return new ServerAddress(host.toLowerCase(Locale.ROOT), p);
    }

    boolean known() {
        return port > 0;
    }
}
