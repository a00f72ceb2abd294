package dev.junction.samples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP relay in front of one PostgreSQL server that counts round trips at the socket. A round trip is one wait of
 * the client for the server: the client sends (one message or several pipelined, e.g. pgJDBC's simple-query
 * {@code BEGIN} sent together with the first statement's Parse/Bind/Execute/Sync) and then waits for the answer, which
 * ends with a ReadyForQuery message ({@code 'Z'}). So the relay counts the client's sends that follow a ReadyForQuery:
 * counting the {@code 'Z'} messages alone would count a pipelined {@code BEGIN} as a round trip of its own.
 * Connections whose first messages name {@code application_name} {@value #IGNORED_APPLICATION} (Junction's health
 * monitor) are relayed but not counted (pgJDBC may send the name in a {@code SET} right after the start-up), so the
 * count is the work of the pools alone. The relay parses the server's message framing and needs a connection without
 * TLS or GSS encryption ({@link #jdbcUrl(String)} turns both off). For measuring only: the relay's threads cost CPU in
 * this JVM, so throughput is measured without it.
 */
final class RoundTripCounter implements AutoCloseable {
    static final String IGNORED_APPLICATION = "junction-monitor";

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final LongAdder roundTrips = new LongAdder();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private RoundTripCounter(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("round-trip-counter-accept").start(this::accept);
    }

    /** Starts a relay on a free loopback port in front of {@code host:port}. */
    static RoundTripCounter start(String host, int port) {
        try {
            return new RoundTripCounter(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("could not open the round-trip counter's port", e);
        }
    }

    /** A pgJDBC URL of the relay for {@code database}, with TLS and GSS encryption off so the framing is readable. */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + "/"
                + database + "?sslmode=disable&gssEncMode=disable";
    }

    /** Round trips so far on counted connections. */
    long roundTrips() {
        return roundTrips.sum();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                Connection connection = new Connection();
                Thread.ofPlatform().daemon().name("round-trip-counter-up").start(
                        () -> relay(client, upstream, connection, true));
                Thread.ofPlatform().daemon().name("round-trip-counter-down").start(
                        () -> relay(upstream, client, connection, false));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("round-trip counter: " + e.getMessage());
                }
            }
        }
    }

    /** What the two directions of one connection share: whether it is counted, whether the server has answered. */
    private static final class Connection {
        volatile boolean counted = true;
        volatile boolean answered;
    }

    private void relay(Socket from, Socket to, Connection connection, boolean clientToServer) {
        byte[] buffer = new byte[16 * 1024];
        Framing framing = new Framing();
        int messages = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (clientToServer) {
                    if (connection.counted && messages < 8) {
                        // The monitor names itself in the start-up packet or in a SET right after it.
                        messages++;
                        connection.counted = !new String(buffer, 0, n, StandardCharsets.ISO_8859_1)
                                .contains(IGNORED_APPLICATION);
                    }
                    if (connection.answered) {
                        connection.answered = false;
                        if (connection.counted) {
                            roundTrips.increment();
                        }
                    }
                } else if (framing.readyForQuery(buffer, n) > 0) {
                    // Set before the answer is forwarded, so the client's next send cannot overtake it.
                    connection.answered = true;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the connection ended
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** The server's message framing (a type byte and a length that counts itself), read across chunk boundaries. */
    static final class Framing {
        private final byte[] header = new byte[5];
        private int headerBytes;
        private long bodyLeft;

        /** Consumes {@code n} bytes and returns how many ReadyForQuery messages began in them. */
        long readyForQuery(byte[] data, int n) {
            long count = 0;
            int i = 0;
            while (i < n) {
                if (bodyLeft > 0) {
                    int skip = (int) Math.min(bodyLeft, n - i);
                    i += skip;
                    bodyLeft -= skip;
                    continue;
                }
                header[headerBytes++] = data[i++];
                if (headerBytes == 5) {
                    int length = ((header[1] & 0xff) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                            | (header[4] & 0xff);
                    if (header[0] == 'Z') {
                        count++;
                    }
                    bodyLeft = length - 4L;
                    headerBytes = 0;
                }
            }
            return count;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
