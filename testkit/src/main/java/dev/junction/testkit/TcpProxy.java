package dev.junction.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy for tests that sits in front of one target (typically a PostgreSQL node) and can add latency or simulate
 * a network partition.
 *
 * <p>{@link #start(String, int)} listens on {@code 127.0.0.1} on a free port and forwards every accepted connection to
 * the target. The proxy is in one {@link Mode} at a time:
 * <ul>
 *   <li>{@link Mode#FORWARD}: bytes flow both ways, each chunk delayed by the configured {@link #latency latency} of
 *       its direction. Latency is added per direction without throttling throughput (up to 1024 chunks of at most
 *       16 KiB in flight per direction) and keeps the byte order.</li>
 *   <li>{@link Mode#REFUSE}: open connections are reset at once; new connections are accepted and reset at once, so
 *       clients fail fast.</li>
 *   <li>{@link Mode#BLACKHOLE}: no byte is delivered in either direction and the proxy closes nothing, so only client
 *       timeouts fire. New connections are accepted but never connected to the target; as the TCP handshake with
 *       the proxy succeeds, a JDBC client needs {@code socketTimeout} or {@code loginTimeout}: {@code connectTimeout}
 *       alone never fires.</li>
 * </ul>
 * {@link #restore()} returns to forwarding for new connections only: connections reset while refusing are gone, and
 * connections open while blackholing stay dead (open, but forwarding nothing) until the client or {@link #close()}
 * closes them. Bytes read from them during the blackhole are dropped, never delivered later.
 *
 * <p>Thread-safe: every method may be called from any thread at any time. Connections are served by daemon platform
 * threads (which never keep the JVM alive); {@link #close()} closes every socket and waits for those threads to end.
 * Not virtual threads: the proxy stands for the network, and a network is not slowed down by the CPU load of the
 * application. On virtual threads it would be, since a load test's virtual threads, which are never preempted, keep
 * the proxy's threads waiting for a carrier. Logs only at debug level.
 */
public final class TcpProxy implements AutoCloseable {
    /** How the proxy treats connections; see {@link TcpProxy}. */
    public enum Mode { FORWARD, REFUSE, BLACKHOLE }

    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
    private static final String HOST = "127.0.0.1";
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final ExecutorService executor;
    private final Set<ProxyLink> links = ConcurrentHashMap.newKeySet();
    private final LongAdder bytesForwarded = new LongAdder();
    private final Object lock = new Object();
    private volatile Mode mode = Mode.FORWARD;
    private volatile long upstreamNanos;
    private volatile long downstreamNanos;
    private boolean closed;

    private TcpProxy(String targetHost, int targetPort, ServerSocket server) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = server;
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().name("junction-proxy-" + server.getLocalPort() + "-", 0).factory());
    }

    /**
     * Starts a proxy that listens on {@code 127.0.0.1} on a free port and forwards to {@code targetHost:targetPort}.
     * The target is connected per accepted connection, so it need not be up yet.
     *
     * @throws IllegalArgumentException if {@code targetPort} is not in 1..65535
     * @throws TestkitException if no local port can be bound
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        Objects.requireNonNull(targetHost, "targetHost");
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("targetPort must be in 1..65535, but was " + targetPort);
        }
        ServerSocket server;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        } catch (IOException e) {
            throw new TestkitException("TcpProxy '" + targetHost + ":" + targetPort + "' could not listen on "
                    + HOST + " (port 0); check that the loopback interface is up", e);
        }
        TcpProxy proxy = new TcpProxy(targetHost, targetPort, server);
        proxy.executor.execute(proxy::acceptLoop);
        log.debug("TcpProxy {}:{} -> {}:{} started", HOST, proxy.port(), targetHost, targetPort);
        return proxy;
    }

    /** The address clients connect to: always {@code "127.0.0.1"}. */
    public String host() {
        return HOST;
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** The host every accepted connection is forwarded to, as given to {@link #start(String, int)}. */
    public String targetHost() {
        return targetHost;
    }

    /** The port every accepted connection is forwarded to. */
    public int targetPort() {
        return targetPort;
    }

    /**
     * Delays every chunk by {@code perDirection} in each direction (so a round trip by twice that); applies to open
     * and new connections. {@link Duration#ZERO} removes the latency.
     *
     * @throws IllegalArgumentException if {@code perDirection} is negative
     */
    public void latency(Duration perDirection) {
        long nanos = checkLatency("latency", perDirection);
        upstreamNanos = nanos;
        downstreamNanos = nanos;
    }

    /**
     * Delays chunks from client to target by {@code upstream} and from target to client by {@code downstream}; applies
     * to open and new connections. {@link Duration#ZERO} means no latency in that direction.
     *
     * @throws IllegalArgumentException if either is negative
     */
    public void latency(Duration upstream, Duration downstream) {
        long up = checkLatency("upstream latency", upstream);
        long down = checkLatency("downstream latency", downstream);
        upstreamNanos = up;
        downstreamNanos = down;
    }

    private static long checkLatency(String name, Duration latency) {
        Objects.requireNonNull(latency, name);
        if (latency.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0ms, but was " + latency.toMillis() + "ms");
        }
        return latency.toNanos();
    }

    /** Resets open connections at once and accepts-then-resets new ones, so clients fail fast. */
    public void refuse() {
        List<ProxyLink> open;
        synchronized (lock) {
            mode = Mode.REFUSE;
            open = List.copyOf(links);
        }
        open.forEach(link -> link.close(true));
        log.debug("TcpProxy {}:{} refuses; reset {} connection(s)", HOST, port(), open.size());
    }

    /** Stops all forwarding, for open and new connections, without closing anything; only client timeouts fire. */
    public void blackhole() {
        synchronized (lock) {
            mode = Mode.BLACKHOLE;
            links.forEach(ProxyLink::sever);
        }
        log.debug("TcpProxy {}:{} blackholes; {} connection(s) severed", HOST, port(), links.size());
    }

    /** Forwards new connections again; connections reset or severed before stay dead (see {@link TcpProxy}). */
    public void restore() {
        mode = Mode.FORWARD;
        log.debug("TcpProxy {}:{} forwards again", HOST, port());
    }

    /** The current mode; {@link Mode#FORWARD} after {@link #start(String, int)} and {@link #restore()}. */
    public Mode mode() {
        return mode;
    }

    /** Connections currently open through the proxy, including severed (blackholed) ones. */
    public int activeConnections() {
        return links.size();
    }

    /** Bytes delivered so far, both directions together. */
    public long bytesForwarded() {
        return bytesForwarded.sum();
    }

    /**
     * Stops accepting, closes every socket and waits (up to 10 s) for the proxy's threads to end; idempotent. The port
     * is released when this returns.
     */
    @Override
    public void close() {
        List<ProxyLink> open;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(links);
        }
        try {
            server.close();
        } catch (IOException e) {
            log.debug("TcpProxy {}:{} could not close its server socket", HOST, port(), e);
        }
        open.forEach(link -> link.close(false));
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.debug("TcpProxy {}:{} threads still running {}s after close", HOST, port(), CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.debug("TcpProxy {}:{} closed; {} bytes forwarded", HOST, port(), bytesForwarded());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.debug("TcpProxy {}:{} accept failed; retrying", HOST, port(), e);
                    pauseAfterFailedAccept();
                }
                continue;
            }
            try {
                executor.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                ProxyLink.closeQuietly(client, true);
            }
        }
    }

    private static void pauseAfterFailedAccept() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Registers the accepted client in the mode the proxy is in once the target is connected; loops when the proxy
     * was restored to forwarding while a connection accepted during a blackhole had no target yet.
     */
    private void serve(Socket client) {
        Socket upstream = null;
        while (true) {
            if (mode == Mode.FORWARD && upstream == null) {
                upstream = connectTarget(client);
                if (upstream == null) {
                    return;
                }
            }
            ProxyLink link = null;
            boolean keepTarget = false;
            synchronized (lock) {
                if (!closed && mode == Mode.FORWARD && upstream == null) {
                    continue;
                }
                if (!closed && mode != Mode.REFUSE) {
                    keepTarget = mode == Mode.FORWARD;
                    link = new ProxyLink(client, keepTarget ? upstream : null, links::remove);
                    links.add(link);
                }
            }
            if (upstream != null && !keepTarget) {
                ProxyLink.closeQuietly(upstream, link == null);
            }
            if (link == null) {
                ProxyLink.closeQuietly(client, true);
            } else {
                link.start(executor, () -> upstreamNanos, () -> downstreamNanos, bytesForwarded);
            }
            return;
        }
    }

    private @Nullable Socket connectTarget(Socket client) {
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
            return upstream;
        } catch (IOException e) {
            log.debug("TcpProxy {}:{} could not connect to target {}:{}; resetting the client", HOST, port(),
                    targetHost, targetPort, e);
            ProxyLink.closeQuietly(upstream, true);
            ProxyLink.closeQuietly(client, true);
            return null;
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[" + HOST + ":" + port() + " -> " + targetHost + ":" + targetPort + ", " + mode + "]";
    }
}
