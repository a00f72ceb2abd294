package dev.junction.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One direction of a {@link ProxyLink}: a reader that stamps every chunk it reads with the time it may be delivered,
 * and a writer that delivers the chunks in order once that time has come. The delay is read per chunk, so a latency
 * change applies to connections that are already open; it adds latency without throttling throughput (up to
 * {@link #CAPACITY} chunks in flight, after which the reader waits). Once the link is severed, chunks are dropped.
 */
final class ProxyPipe {
    static final int CAPACITY = 1024;
    private static final int CHUNK_BYTES = 16 * 1024;
    private static final byte[] EOF = new byte[0];

    private record Chunk(byte[] data, long dueNanos) {}

    private final ProxyLink link;
    private final Socket source;
    private final @Nullable Socket sink;
    private final LongSupplier delayNanos;
    private final LongAdder bytesForwarded;
    private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>(CAPACITY);

    /** {@code sink} is null for a connection accepted while blackholing: its bytes have nowhere to go. */
    ProxyPipe(ProxyLink link, Socket source, @Nullable Socket sink, LongSupplier delayNanos, LongAdder bytesForwarded) {
        this.link = link;
        this.source = source;
        this.sink = sink;
        this.delayNanos = delayNanos;
        this.bytesForwarded = bytesForwarded;
    }

    Socket source() {
        return source;
    }

    Future<?>[] start(ExecutorService executor) {
        return new Future<?>[] {executor.submit(this::read), executor.submit(this::write)};
    }

    private void read() {
        try {
            InputStream in = source.getInputStream();
            byte[] buffer = new byte[CHUNK_BYTES];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0 && !link.severed()) {
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayNanos.getAsLong()));
                }
            }
            queue.put(new Chunk(EOF, System.nanoTime() + delayNanos.getAsLong()));
        } catch (IOException e) {
            link.pipeEnded(this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() {
        try {
            while (true) {
                Chunk chunk = queue.take();
                for (long wait; (wait = chunk.dueNanos() - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (chunk.data() == EOF) {
                    if (sink != null && !link.severed()) {
                        sink.shutdownOutput();
                    }
                    link.pipeEnded(this, null);
                    return;
                }
                if (sink != null && !link.severed()) {
                    OutputStream out = sink.getOutputStream();
                    out.write(chunk.data());
                    out.flush();
                    bytesForwarded.add(chunk.data().length);
                }
            }
        } catch (IOException e) {
            link.pipeEnded(this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
