package dev.junction.samples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.ConsistencySession;
import dev.junction.PoolSaturatedException;
import dev.junction.samples.service.Directory.ProfileUpdate;
import dev.junction.samples.service.Directory.Signup;
import dev.junction.samples.service.Directory.Written;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.exception.DataAccessException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group directory over HTTP, on the JDK's {@link HttpServer} with one virtual thread per request, serving any
 * {@link Directory}:
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code POST /signup} (form: {@code email, name, country, language, city, group})</td>
 *       <td>201 {@code {"id":...}}; 400 invalid or unknown code, 404 unknown group, 409 e-mail taken</td></tr>
 *   <tr><td>{@code GET /groups/{id}/members}</td><td>200 the group, its member count and first members; 404</td></tr>
 *   <tr><td>{@code GET /search?q=prefix&limit=n}</td><td>200 users whose name starts with {@code q}, with their
 *       groups</td></tr>
 *   <tr><td>{@code GET /users/{id}}</td><td>200 the profile; 404</td></tr>
 *   <tr><td>{@code PUT /users/{id}/profile} (form: {@code name, city, bio})</td><td>204; 404</td></tr>
 * </table>
 * Writes answer with the implementation's token in the {@value ConsistencySession#HEADER} header ({@code junction}:
 * the commit's consistency token; {@code tuned}: the time of the write); reads take it back in the same request
 * header and then see that write. Inputs are checked against {@link Inputs} before any database access: a body over
 * {@value Inputs#MAX_BODY_BYTES} bytes gets 413, an oversized or malformed field 400, and neither touches the
 * database. A pool that has no connection in time gives 503, counted as a shed ({@link #sheds()}) when a bulkhead
 * refused at once, else as a pool timeout. Error bodies are {@code {"error":"..."}} and never repeat the input.
 *
 * <p>Listens on {@code 127.0.0.1}, on a free port unless one is given. Thread-safe. {@link #close()} stops the server
 * and waits for running requests; the {@link Directory} belongs to the caller.
 */
public final class DirectoryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DirectoryService.class);
    /** Bodies up to this size are read and discarded before a 413, so the client reliably gets the answer. */
    private static final int DRAIN_LIMIT = 4 * 1024 * 1024;

    private final Directory directory;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder handled = new LongAdder();
    private final LongAdder sheds = new LongAdder();
    private final LongAdder poolTimeouts = new LongAdder();

    private DirectoryService(Directory directory, int port) throws IOException {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts serving {@code directory} on a free loopback port.
     *
     * @throws IOException when no port can be bound
     */
    public static DirectoryService start(Directory directory) throws IOException {
        return new DirectoryService(directory, 0);
    }

    /** The port on {@code 127.0.0.1}. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The directory this service serves. */
    public Directory directory() {
        return directory;
    }

    /** Requests answered so far (any status). */
    public long handled() {
        return handled.sum();
    }

    /**
     * Requests answered 503 so far because a pool's bulkhead refused them at once ({@link PoolSaturatedException}):
     * load shed instead of queued.
     */
    public long sheds() {
        return sheds.sum();
    }

    /** Requests answered 503 so far because no pooled connection came within the pool's connection timeout. */
    public long poolTimeouts() {
        return poolTimeouts.sum();
    }

    /**
     * Waits until no request is running, at most {@code timeout}: after a load run, requests its clients gave up on
     * may still be running.
     *
     * @return whether the service is idle
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            try {
                route(exchange);
            } catch (DirectoryException e) {
                send(exchange, e.status(), Json.error(e.getMessage()));
            } catch (RuntimeException e) {
                Throwable busy = noConnection(e);
                if (busy != null) {
                    (busy instanceof PoolSaturatedException ? sheds : poolTimeouts).increment();
                    send(exchange, 503, Json.error("the database is busy; try again"));
                } else {
                    // Only the type and SQLState: server messages can quote the values a client sent.
                    log.warn("{} {} failed: {} {}", exchange.getRequestMethod(), pathShape(exchange),
                            e.getClass().getName(), e instanceof DataAccessException d ? d.sqlState() : "");
                    send(exchange, 500, Json.error("internal error"));
                }
            }
        } finally {
            handled.increment();
            inFlight.decrementAndGet();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String[] parts = path.split("/", -1); // "/users/7/profile" -> ["", "users", "7", "profile"]
        String token = exchange.getRequestHeaders().getFirst(ConsistencySession.HEADER);
        if (parts.length == 2 && parts[1].equals("signup")) {
            requireMethod(method, "POST");
            signup(exchange);
        } else if (parts.length == 4 && parts[1].equals("groups") && parts[3].equals("members")) {
            requireMethod(method, "GET");
            long id = Inputs.id("group id", parts[2]);
            Optional<Directory.GroupPage> page = directory.members(id, token);
            if (page.isEmpty()) {
                throw DirectoryException.notFound("group not found");
            }
            send(exchange, 200, Json.page(page.get()));
        } else if (parts.length == 2 && parts[1].equals("search")) {
            requireMethod(method, "GET");
            Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
            String q = Inputs.query(query.get("q"));
            int limit = Inputs.limit(query.get("limit"));
            send(exchange, 200, Json.hits(directory.search(q, limit, token)));
        } else if (parts.length == 3 && parts[1].equals("users")) {
            requireMethod(method, "GET");
            long id = Inputs.id("user id", parts[2]);
            Optional<Directory.Profile> profile = directory.profile(id, token);
            if (profile.isEmpty()) {
                throw DirectoryException.notFound("user not found");
            }
            send(exchange, 200, Json.profile(profile.get()));
        } else if (parts.length == 4 && parts[1].equals("users") && parts[3].equals("profile")) {
            requireMethod(method, "PUT");
            long id = Inputs.id("user id", parts[2]);
            Map<String, String> form = form(body(exchange));
            ProfileUpdate update = new ProfileUpdate(Inputs.displayName(form.get("name")),
                    Inputs.city(form.get("city")), Inputs.bio(form.get("bio")));
            Written<Boolean> written = directory.updateProfile(id, update);
            if (!written.value()) {
                throw DirectoryException.notFound("user not found");
            }
            token(exchange, written);
            send(exchange, 204, "");
        } else {
            throw DirectoryException.notFound("no such endpoint; see DirectoryService's Javadoc");
        }
    }

    private void signup(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(body(exchange));
        Signup signup = new Signup(Inputs.email(form.get("email")), Inputs.displayName(form.get("name")),
                Inputs.code("country", form.get("country")), Inputs.code("language", form.get("language")),
                Inputs.city(form.get("city")), Inputs.id("group", form.get("group")));
        Written<Long> written = directory.signup(signup);
        token(exchange, written);
        send(exchange, 201, Json.id(written.value()));
    }

    private static void token(HttpExchange exchange, Written<?> written) {
        if (written.token() != null) {
            exchange.getResponseHeaders().set(ConsistencySession.HEADER, written.token());
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new DirectoryException(405, "use " + expected);
        }
    }

    /** The body as text, at most {@link Inputs#MAX_BODY_BYTES}; larger bodies are drained and refused with 413. */
    private static String body(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw DirectoryException.invalid("Content-Length must be a number");
            }
        }
        InputStream in = exchange.getRequestBody();
        if (length > DRAIN_LIMIT) {
            throw new DirectoryException(413, "the body must be at most " + Inputs.MAX_BODY_BYTES + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) Math.min(length, 4096) : 256);
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total <= Inputs.MAX_BODY_BYTES) {
                out.write(buffer, 0, n);
            } else if (total > DRAIN_LIMIT) {
                break;
            }
        }
        if (total > Inputs.MAX_BODY_BYTES) {
            throw new DirectoryException(413, "the body must be at most " + Inputs.MAX_BODY_BYTES + " bytes");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code a=1&b=x%20y} as a map; the first of repeated keys wins. */
    private static Map<String, String> form(@Nullable String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        try {
            for (String pair : encoded.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(key, value);
            }
        } catch (IllegalArgumentException e) {
            throw DirectoryException.invalid("the form or query is not valid URL encoding");
        }
        return values;
    }

    /** The cause that says no connection was to be had (a shed or a pool timeout), or null. */
    private static @Nullable Throwable noConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof PoolSaturatedException) {
                return t;
            }
        }
        return null;
    }

    /** The path with numbers replaced, for logs: ids are client input. */
    private static String pathShape(HttpExchange exchange) {
        return exchange.getRequestURI().getRawPath().replaceAll("[0-9]+", "{n}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!body.isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Stops accepting requests, waits up to 5 s for running ones, stops the server. Leaves the Directory open. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
