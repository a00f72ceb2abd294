package dev.junction.testkit;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied connection: the accepted client socket, the socket to the target (absent when accepted while
 * blackholing) and a {@link ProxyPipe} per direction. Closes itself once both directions reached end of stream, or at
 * once when either side fails. A severed link (see {@link #sever()}) forwards nothing ever again and stays open until
 * the client closes or the proxy closes it, like a connection across a network partition. Thread-safe.
 */
final class ProxyLink {
    private static final Logger log = LoggerFactory.getLogger(ProxyLink.class);

    private final Socket client;
    private final @Nullable Socket upstream;
    private final Consumer<ProxyLink> onClose;
    private final List<Future<?>> tasks = new ArrayList<>();
    private volatile boolean severed;
    private int finishedDirections;
    private boolean closed;

    ProxyLink(Socket client, @Nullable Socket upstream, Consumer<ProxyLink> onClose) {
        this.client = client;
        this.upstream = upstream;
        this.onClose = onClose;
        this.severed = upstream == null;
    }

    /** Starts forwarding; closes the link when the executor is already shut down. */
    void start(ExecutorService executor, LongSupplier upNanos, LongSupplier downNanos, LongAdder bytesForwarded) {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                tasks.addAll(List.of(new ProxyPipe(this, client, upstream, upNanos, bytesForwarded).start(executor)));
                if (upstream != null) {
                    tasks.addAll(List.of(new ProxyPipe(this, upstream, client, downNanos, bytesForwarded).start(executor)));
                }
            }
        } catch (RejectedExecutionException e) {
            close(false);
        }
    }

    boolean severed() {
        return severed;
    }

    /** Stops all forwarding on this link for good, without closing anything. */
    void sever() {
        severed = true;
    }

    /**
     * Called once per direction when it ends. A failure closes the link; so does the second end of stream. While
     * severed, only the client's end of stream matters: the target going away stays invisible to the client.
     */
    void pipeEnded(ProxyPipe pipe, @Nullable IOException failure) {
        boolean fromClient = pipe.source() == client;
        boolean close;
        synchronized (this) {
            if (severed) {
                close = fromClient;
            } else {
                close = failure != null || ++finishedDirections == 2;
            }
        }
        if (failure != null) {
            log.debug("Proxy link {} failed on the {} side", this, fromClient ? "client" : "target", failure);
        }
        if (close) {
            close(failure != null && !severed);
        }
    }

    /** Closes both sockets (with RST when {@code reset}) and stops both directions; idempotent. */
    void close(boolean reset) {
        List<Future<?>> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = List.copyOf(tasks);
        }
        closeQuietly(client, reset);
        if (upstream != null) {
            closeQuietly(upstream, reset);
        }
        running.forEach(task -> task.cancel(true));
        onClose.accept(this);
    }

    static void closeQuietly(Socket socket, boolean reset) {
        try {
            if (reset && !socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException e) {
            log.debug("Closing {} failed", socket, e);
        }
    }

    @Override
    public String toString() {
        return client.getRemoteSocketAddress() + " -> " + (upstream == null ? "blackhole" : upstream.getRemoteSocketAddress());
    }
}
