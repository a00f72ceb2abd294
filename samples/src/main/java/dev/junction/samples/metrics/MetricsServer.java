package dev.junction.samples.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.routing.NodeStatus;
import dev.junction.routing.Topology;
import dev.junction.spi.Role;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * A Prometheus scrape endpoint and a health endpoint on the JDK's {@link HttpServer}:
 * <ul>
 *   <li>{@code GET /metrics}: every meter of the registry in Prometheus' text format: Junction's unit, statement,
 *       transaction, routing, lag and pool meters, HikariCP's and Resilience4j's, whatever else the application
 *       registered;</li>
 *   <li>{@code GET /health}: the router's topology snapshot as JSON (nodes, roles, health, lag, pool usage, breaker
 *       states), 200 with status {@code UP} when every node may serve its role, 200 {@code DEGRADED} when the
 *       primary may but a replica may not, 503 {@code DOWN} when the primary may not take writes.</li>
 * </ul>
 * Listens on {@code 127.0.0.1} on a free port; each request on a virtual thread. Thread-safe. {@link #close()} stops
 * the server; the registry and the router belong to the caller.
 */
public final class MetricsServer implements AutoCloseable {
    /** Prometheus' text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final Topology topology;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    /**
     * Starts serving at once.
     *
     * @throws IOException when no loopback port can be bound
     */
    public MetricsServer(PrometheusMeterRegistry registry, Topology topology) throws IOException {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health", this::health);
        server.setExecutor(executor);
        server.start();
    }

    /** The port the server listens on, on {@code 127.0.0.1}. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "GET only\n");
                return;
            }
            respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<NodeStatus> nodes = topology.snapshot();
            boolean primaryOk = nodes.stream().anyMatch(n -> n.configuredRole() == Role.PRIMARY && n.eligible());
            boolean allOk = nodes.stream().allMatch(NodeStatus::eligible);
            String status = !primaryOk ? "DOWN" : allOk ? "UP" : "DEGRADED";
            respond(exchange, primaryOk ? 200 : 503, "application/json", healthJson(status, nodes));
        }
    }

    /** The topology as JSON: what a load balancer or an operator needs to see at a glance. */
    static String healthJson(String status, List<NodeStatus> nodes) {
        StringBuilder sb = new StringBuilder("{\"status\":\"").append(status).append("\",\"nodes\":[");
        for (int i = 0; i < nodes.size(); i++) {
            NodeStatus n = nodes.get(i);
            sb.append(i == 0 ? "" : ",").append('{')
                    .append("\"name\":").append(quote(n.name()))
                    .append(",\"role\":").append(quote(n.configuredRole().tag()))
                    .append(",\"observedRole\":").append(n.observedRole() == null ? "null"
                            : quote(n.observedRole().tag()))
                    .append(",\"up\":").append(n.up())
                    .append(",\"eligible\":").append(n.eligible())
                    .append(",\"lagBytes\":").append(n.lagBytes())
                    .append(",\"lagSeconds\":").append(n.lag() == null ? "null"
                            : String.format(Locale.ROOT, "%.3f", n.lag().toNanos() / 1e9))
                    .append(",\"lagExcluded\":").append(n.lagExcluded())
                    .append(",\"lastError\":").append(n.lastError() == null ? "null" : quote(n.lastError()))
                    .append(",\"pool\":{\"active\":").append(n.poolActive()).append(",\"idle\":").append(n.poolIdle())
                    .append(",\"total\":").append(n.poolTotal()).append(",\"waiting\":").append(n.poolWaiting())
                    .append("},\"breaker\":").append(quote(n.breaker().name().toLowerCase(Locale.ROOT)))
                    .append('}');
        }
        return sb.append("]}\n").toString();
    }

    private static String quote(@Nullable String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops the server and its request threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
