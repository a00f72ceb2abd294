package dev.junction.samples.consistency;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.Commit;
import dev.junction.ConsistencySession;
import dev.junction.Database;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-your-writes across requests and app instances, on the JDK's {@link HttpServer}:
 * <ul>
 *   <li>{@code POST /profiles/{id}?name=...} saves the profile with {@link Database#write} and answers 204 with the
 *       commit's token in the {@value ConsistencySession#HEADER} response header;</li>
 *   <li>{@code GET /profiles/{id}} reads the name at the consistency of the token the client sends back in that header
 *       and answers 200 with the name as text, or 404. No header: an eventual read (any replica); a malformed,
 *       truncated or altered header: a read on the primary.</li>
 * </ul>
 * Any instance may serve any request: the token is all the state there is. The service expects the table
 * {@link #SCHEMA}, listens on {@code 127.0.0.1} on a free port and handles each request on a virtual thread.
 * Thread-safe. {@link #close()} stops the server; the {@code Database} belongs to the caller and stays open.
 */
public final class TokenCarryingService implements AutoCloseable {
    /** The table the service reads and writes. */
    public static final String SCHEMA = "create table if not exists profile"
            + " (id bigint primary key, name text not null)";

    private static final Logger log = LoggerFactory.getLogger(TokenCarryingService.class);
    private static final String PATH = "/profiles/";

    private final Database db;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    /**
     * Starts serving at once.
     *
     * @throws IOException when no loopback port can be bound
     */
    public TokenCarryingService(Database db) throws IOException {
        this.db = Objects.requireNonNull(db, "db");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext(PATH, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The port the service listens on, on {@code 127.0.0.1}. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long id;
            try {
                id = Long.parseLong(exchange.getRequestURI().getPath().substring(PATH.length()));
            } catch (NumberFormatException e) {
                send(exchange, 400, "the path must be /profiles/{numeric id}");
                return;
            }
            try {
                switch (exchange.getRequestMethod()) {
                    case "POST" -> save(exchange, id);
                    case "GET" -> find(exchange, id);
                    default -> send(exchange, 405, "use GET or POST");
                }
            } catch (RuntimeException e) {
                log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                send(exchange, 500, "internal error");
            }
        }
    }

    private void save(HttpExchange exchange, long id) throws IOException {
        String name = queryParameter(exchange.getRequestURI(), "name");
        if (name == null || name.isBlank()) {
            send(exchange, 400, "name is required: POST /profiles/{id}?name=...");
            return;
        }
        // tag::write[]
        Commit<Integer> commit = db.write(ctx -> ctx.execute("insert into profile (id, name) values (?, ?)"
                + " on conflict (id) do update set name = excluded.name", id, name));
        // This commit is later than any token the client holds (it got those before it sent this request), so the
        // new token replaces the old one: no merge needed.
        exchange.getResponseHeaders().set(ConsistencySession.HEADER, commit.token().encode());
        // end::write[]
        send(exchange, 204, "");
    }

    private void find(HttpExchange exchange, long id) throws IOException {
        // tag::read[]
        ConsistencySession session = ConsistencySession.restore(
                exchange.getRequestHeaders().getFirst(ConsistencySession.HEADER));
        Optional<String> name = db.read(session.consistency(), ctx -> ctx
                .fetchOptional("select name from profile where id = ?", id)
                .map(r -> r.get(0, String.class)));
        // end::read[]
        if (name.isPresent()) {
            send(exchange, 200, name.get());
        } else {
            send(exchange, 404, "no profile " + id);
        }
    }

    private static @Nullable String queryParameter(URI uri, String key) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Stops accepting requests, lets running ones finish, and stops the server. Leaves the Database open. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
