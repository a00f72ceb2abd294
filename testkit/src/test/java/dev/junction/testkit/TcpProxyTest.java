package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {
    private EchoServer echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoAndProxy() throws IOException {
        echo = new EchoServer();
        proxy = TcpProxy.start("127.0.0.1", echo.port());
    }

    @AfterEach
    void closeAll() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBytesBothWays() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(42).nextBytes(payload);
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
            assertThat(proxy.activeConnections()).isEqualTo(1);

            assertThat(echoBack(client, payload)).isEqualTo(payload);
            await(() -> proxy.bytesForwarded() == 2L * (5 + payload.length));
        }
        await(() -> proxy.activeConnections() == 0);
    }

    @Test
    void keepsByteOrderUnderLatency() throws Exception {
        byte[] payload = new byte[256 * 1024];
        new Random(7).nextBytes(payload);
        proxy.latency(Duration.ofMillis(5));
        try (Socket client = connect()) {
            assertThat(echoBack(client, payload)).isEqualTo(payload);
        }
    }

    @Test
    void addsConfiguredLatencyPerDirection() throws Exception {
        try (Socket client = connect()) {
            proxy.latency(Duration.ofMillis(20));

            // A lower bound only: how much longer a busy machine takes is noise, not the proxy (issue 24).
            assertThat(minRoundTripNanos(client)).isGreaterThanOrEqualTo(Duration.ofMillis(20 + 20).toNanos());
        }
    }

    @Test
    void latencyCanDifferPerDirection() throws Exception {
        proxy.latency(Duration.ofMillis(30), Duration.ofMillis(10));
        try (Socket client = connect()) {
            assertThat(minRoundTripNanos(client)).isGreaterThanOrEqualTo(Duration.ofMillis(30 + 10).toNanos());
        }
    }

    @Test
    void rejectsNegativeLatency() {
        assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency must be >= 0ms, but was -5ms");
        assertThatThrownBy(() -> proxy.latency(Duration.ZERO, Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("downstream latency must be >= 0ms, but was -5ms");
    }

    @Test
    void refuseMakesConnectsFailFast() throws Exception {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "x")).isEqualTo("x");

            proxy.refuse();

            assertThat(proxy.mode()).isEqualTo(TcpProxy.Mode.REFUSE);
            assertThat(proxy.activeConnections()).isZero();
            assertThat(outcomeOfRoundTrip(open)).isEqualTo(Outcome.CUT_OFF);
            try (Socket fresh = connect()) {
                assertThat(outcomeOfRoundTrip(fresh)).isEqualTo(Outcome.CUT_OFF);
            }
        }
    }

    @Test
    void blackholeMakesOnlyTimeoutsFire() throws Exception {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "x")).isEqualTo("x");
            await(() -> proxy.bytesForwarded() == 2);

            proxy.blackhole();

            assertThat(proxy.mode()).isEqualTo(TcpProxy.Mode.BLACKHOLE);
            try (Socket fresh = connect()) {
                for (Socket client : new Socket[] {open, fresh}) {
                    client.setSoTimeout(300);
                    assertThat(outcomeOfRoundTrip(client)).isEqualTo(Outcome.TIMED_OUT);
                    assertThat(outcomeOfRoundTrip(client)).as("still open after a timeout").isEqualTo(Outcome.TIMED_OUT);
                }
                await(() -> proxy.activeConnections() == 2);
                assertThat(proxy.bytesForwarded()).isEqualTo(2);
            }
        }
    }

    @Test
    void restoreResumesForwarding() throws Exception {
        proxy.refuse();
        proxy.restore();
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "after refuse")).isEqualTo("after refuse");
        }

        proxy.blackhole();
        proxy.restore();

        assertThat(proxy.mode()).isEqualTo(TcpProxy.Mode.FORWARD);
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "after blackhole")).isEqualTo("after blackhole");
        }
    }

    @Test
    void connectionsOpenDuringBlackholeStayDeadAfterRestore() throws Exception {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "x")).isEqualTo("x");
            proxy.blackhole();
            proxy.restore();

            open.setSoTimeout(300);
            assertThat(outcomeOfRoundTrip(open)).isEqualTo(Outcome.TIMED_OUT);
        }
    }

    @Test
    void resetsClientsWhenTheTargetIsDown() throws Exception {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            freePort = probe.getLocalPort();
        }
        try (TcpProxy toNowhere = TcpProxy.start("127.0.0.1", freePort);
                Socket client = new Socket(toNowhere.host(), toNowhere.port())) {
            client.setSoTimeout(10_000);
            assertThat(outcomeOfRoundTrip(client)).isEqualTo(Outcome.CUT_OFF);
            assertThat(toNowhere.activeConnections()).isZero();
        }
    }

    @Test
    void closeReleasesPortAndConnections() throws Exception {
        try (Socket first = connect(); Socket second = connect()) {
            assertThat(roundTrip(first, "1")).isEqualTo("1");
            assertThat(roundTrip(second, "2")).isEqualTo("2");
            assertThat(proxy.activeConnections()).isEqualTo(2);

            proxy.close();

            assertThat(proxy.activeConnections()).isZero();
            assertThat(outcomeOfRoundTrip(first)).isEqualTo(Outcome.CUT_OFF);
            assertThatThrownBy(() -> new Socket(proxy.host(), proxy.port()).close())
                    .isInstanceOf(ConnectException.class);
            assertThatNoException().isThrownBy(proxy::close);
        }
    }

    @Test
    void reportsItsAddresses() {
        assertThat(proxy.host()).isEqualTo("127.0.0.1");
        assertThat(proxy.port()).isPositive().isNotEqualTo(echo.port());
        assertThat(proxy.targetHost()).isEqualTo("127.0.0.1");
        assertThat(proxy.targetPort()).isEqualTo(echo.port());
        assertThat(proxy.mode()).isEqualTo(TcpProxy.Mode.FORWARD);
    }

    private enum Outcome { ECHOED, CUT_OFF, TIMED_OUT }

    private Socket connect() throws IOException {
        Socket socket = new Socket(proxy.host(), proxy.port());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000); // only so that a broken proxy fails the test instead of hanging it
        return socket;
    }

    private static String roundTrip(Socket client, String text) throws IOException {
        return new String(echoBack(client, text.getBytes()));
    }

    /** Writes concurrently with reading, so payloads larger than the socket buffers cannot deadlock. */
    private static byte[] echoBack(Socket client, byte[] payload) throws IOException {
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                client.getOutputStream().write(payload);
                client.getOutputStream().flush();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, Thread::startVirtualThread);
        byte[] echoed = client.getInputStream().readNBytes(payload.length);
        writing.join();
        return echoed;
    }

    private static Outcome outcomeOfRoundTrip(Socket client) {
        try {
            client.getOutputStream().write('?');
            return client.getInputStream().read() == '?' ? Outcome.ECHOED : Outcome.CUT_OFF;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMED_OUT;
        } catch (IOException e) {
            return Outcome.CUT_OFF;
        }
    }

    private static long minRoundTripNanos(Socket client) throws IOException {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertThat(roundTrip(client, "ping")).isEqualTo("ping");
            min = Math.min(min, System.nanoTime() - start);
        }
        return min;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); !condition.getAsBoolean(); ) {
            assertThat(System.nanoTime()).as("condition still false after 10s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Echoes every byte back on a virtual thread per connection. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));

        EchoServer() throws IOException {
            Thread.startVirtualThread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread.startVirtualThread(() -> echo(socket));
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
        }

        private static void echo(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                socket.setTcpNoDelay(true);
                in.transferTo(out);
            } catch (IOException e) {
                // peer went away
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
