package dev.junction.routing.internal;

import java.util.Locale;

/** Parses pgjdbc URLs far enough to check them and to tell which server and database a node is. */
public final class JdbcUrls {
    public static final String PREFIX = "jdbc:postgresql://";
    public static final String EXPECTED = "expected jdbc:postgresql://host:port/database";

    /**
     * Where a node's connections go.
     *
     * @param host     host name or address, lower case
     * @param port     TCP port (5432 when the URL has none)
     * @param database database name
     */
    public record Address(String host, int port, String database) {
        /** {@code host:port}, the server the budget is checked against. */
        public String server() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return server() + "/" + database;
        }
    }

    private JdbcUrls() {
    }

    /**
     * The URL without its parameters and without anything before an {@code @} in the host part, safe to print (both
     * may hold secrets).
     */
    public static String redacted(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        if (base.startsWith(PREFIX)) {
            int slash = base.indexOf('/', PREFIX.length());
            int at = base.lastIndexOf('@', slash < 0 ? base.length() : slash);
            if (at >= PREFIX.length()) {
                base = PREFIX + "***@" + base.substring(at + 1);
            }
        }
        return q < 0 ? base : base + "?...";
    }

    /**
     * @throws IllegalArgumentException with a message that quotes the (redacted) URL and says what was expected
     */
    public static Address parse(String url) {
        String shown = "'" + redacted(url) + "'";
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException(shown + " is not a PostgreSQL JDBC URL; " + EXPECTED);
        }
        int q = url.indexOf('?');
        String params = q < 0 ? "" : url.substring(q + 1).toLowerCase(Locale.ROOT);
        for (String p : params.split("&")) {
            if (p.startsWith("password=") || p.startsWith("user=")) {
                throw new IllegalArgumentException(shown + " carries credentials in its parameters; remove user/"
                        + "password from the URL and set credentials.user / credentials.password (or JUNCTION_USER /"
                        + " JUNCTION_PASSWORD)");
            }
        }
        String rest = url.substring(PREFIX.length(), q < 0 ? url.length() : q);
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException(shown + " names no database; " + EXPECTED);
        }
        String hostPort = rest.substring(0, slash);
        String database = rest.substring(slash + 1);
        if (hostPort.contains("@")) {
            throw new IllegalArgumentException(shown + " carries credentials before its host (user:password@host);"
                    + " pgjdbc does not read them there. Remove them from the URL and set credentials.user /"
                    + " credentials.password (or JUNCTION_USER / JUNCTION_PASSWORD)");
        }
        if (hostPort.isEmpty()) {
            throw new IllegalArgumentException(shown + " names no host; " + EXPECTED);
        }
        if (hostPort.contains(",")) {
            throw new IllegalArgumentException(shown + " lists several hosts; Junction routes between nodes itself,"
                    + " so configure each server as its own node with one host each");
        }
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(shown + " has an unclosed IPv6 address; " + EXPECTED);
            }
            host = hostPort.substring(1, close);
            if (close + 1 < hostPort.length()) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(shown + " is not a valid host:port; " + EXPECTED);
                }
                portText = hostPort.substring(close + 2);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        int port = 5432;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(shown + " has port '" + portText + "', not a number from 1 to"
                        + " 65535; " + EXPECTED);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(shown + " names no host; " + EXPECTED);
        }
        return new Address(host.toLowerCase(Locale.ROOT), port, database);
    }
}
