package dev.junction.samples.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP connection against the JDK server the sample service uses. */
class HttpConnectionTest {
    private final Set<String> clientPorts = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", exchange -> {
            clientPorts.add(String.valueOf(exchange.getRemoteAddress().getPort()));
            byte[] body = (exchange.getRequestMethod() + " " + new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8) + " " + exchange.getRequestHeaders().getFirst("Junction-Consistency"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Junction-Consistency", "token-1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/empty", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/stuck", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        address = new InetSocketAddress("127.0.0.1", server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private static long in(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void requestsShareOneKeepAliveConnectionAndReadStatusTokenAndBody() throws Exception {
        try (HttpConnection c = new HttpConnection(address)) {
            HttpConnection.Response first = c.send("POST", "/echo", "abc", "a=1&b=%20", in(5_000));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.token()).isEqualTo("token-1");
            assertThat(first.body()).isEqualTo("POST a=1&b=%20 abc");
            HttpConnection.Response empty = c.send("PUT", "/empty", null, "x=1", in(5_000));
            assertThat(empty.status()).isEqualTo(204);
            assertThat(empty.body()).isEmpty();
            assertThat(c.send("GET", "/echo", null, null, in(5_000)).body()).isEqualTo("GET  null");
        }
        assertThat(clientPorts).as("one connection for all three requests").hasSize(1);
    }

    @Test
    void aRequestPastItsDeadlineTimesOutAndTheNextOneOpensANewConnection() throws Exception {
        try (HttpConnection c = new HttpConnection(address)) {
            c.send("GET", "/echo", null, null, in(5_000));
            assertThatThrownBy(() -> c.send("GET", "/stuck", null, null, in(200)))
                    .isInstanceOf(HttpConnection.TimeoutException.class);
            release.countDown();
            assertThat(c.send("GET", "/echo", null, null, in(5_000)).status()).isEqualTo(200);
        }
        assertThat(clientPorts).as("a fresh connection after the timeout").hasSize(2);
    }
}
