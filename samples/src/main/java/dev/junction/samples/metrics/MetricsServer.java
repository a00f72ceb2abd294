package dev.junction.samples.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.ClusterHealth;
import dev.junction.routing.ClusterRouter;
import dev.junction.routing.NodeStatus;
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
 *   <li>{@code GET /health}: the router's {@link ClusterRouter#health() health verdict} and topology snapshot as
 *       JSON (state, reasons, nodes, roles, health, lag, pool usage, breaker states): 200 with status {@code UP} or
 *       {@code DEGRADED} (writes work, a replica serves no reads), 503 {@code DOWN} (no node may take writes). The
 *       rule is the library's ({@link ClusterHealth}), not this server's.</li>
 * </ul>
 * Listens on {@code 127.0.0.1} on a free port; each request on a virtual thread. Thread-safe. {@link #close()} stops
 * the server; the registry and the router belong to the caller.
 */
public final class MetricsServer implements AutoCloseable {
    /** Prometheus' text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final ClusterRouter router;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    /**
     * Starts serving at once.
     *
     * @throws IOException when no loopback port can be bound
     */
    public MetricsServer(PrometheusMeterRegistry registry, ClusterRouter router) throws IOException {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.router = Objects.requireNonNull(router, "router");
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
            ClusterHealth health = router.health();
            respond(exchange, health.state() == ClusterHealth.State.DOWN ? 503 : 200, "application/json",
                    healthJson(health, router.topology().snapshot()));
        }
    }

    /** The verdict and the topology as JSON: what a load balancer or an operator needs to see at a glance. */
    static String healthJson(ClusterHealth health, List<NodeStatus> nodes) {
        StringBuilder sb = new StringBuilder("{\"status\":\"").append(health.state()).append("\",\"reasons\":[");
        for (int i = 0; i < health.reasons().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(quote(health.reasons().get(i)));
        }
        sb.append("],\"nodes\":[");
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
                    .append(",\"problem\":").append(quote(problem(health, n.name())))
                    .append(",\"pool\":{\"active\":").append(n.poolActive()).append(",\"idle\":").append(n.poolIdle())
                    .append(",\"total\":").append(n.poolTotal()).append(",\"waiting\":").append(n.poolWaiting())
                    .append("},\"breaker\":").append(quote(n.breaker().name().toLowerCase(Locale.ROOT)))
                    .append('}');
        }
        return sb.append("]}\n").toString();
    }

    private static @Nullable String problem(ClusterHealth health, String node) {
        return health.nodes().stream().filter(h -> h.name().equals(node)).map(ClusterHealth.Node::problem)
                .filter(Objects::nonNull).findFirst().orElse(null);
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
