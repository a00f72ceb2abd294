package dev.junction.samples.load;

import dev.junction.ConsistencySession;
import dev.junction.samples.service.Directory;
import dev.junction.samples.service.DirectoryService;
import dev.junction.samples.service.SampleData;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A closed-loop load generator: {@code users} virtual users, each on its own virtual thread, send one action, wait
 * for the answer, think (exponentially distributed, mean {@code think}), and repeat. An action is one of
 * <ul>
 *   <li>40%: a group's member page ({@code GET /groups/{id}/members});</li>
 *   <li>35%: a search by a name prefix of 2-4 letters ({@code GET /search?q=..&limit=20});</li>
 *   <li>15%: a profile update of the user's own profile and its read-back with the returned token
 *       ({@code PUT /users/{id}/profile}, then {@code GET /users/{id}});</li>
 *   <li>10%: a sign-up into a random group and the read-back of the new profile.</li>
 * </ul>
 * A request that takes longer than {@code timeout} is abandoned and counted as an error, and so is a read-back that
 * does not show the write just made. Requests that start in the warm-up are not measured. Each run uses its own
 * {@link HttpClient}, so connections from an earlier run do not carry over.
 */
public final class ClosedLoop {
    private static final AtomicLong RUNS = new AtomicLong(System.currentTimeMillis());

    private final Settings settings;

    /**
     * The shape of a run.
     *
     * @param users     concurrent virtual users
     * @param warmup    time before measuring
     * @param duration  the measurement window
     * @param think     mean think time
     * @param timeout   the client's timeout per request
     * @param dataUsers users in the data set (the virtual user {@code i} edits user {@code i + 1})
     * @param groups    groups in the data set
     */
    public record Settings(int users, Duration warmup, Duration duration, Duration think, Duration timeout,
                           int dataUsers, int groups) {
        public Settings {
            if (users < 1 || users > dataUsers) {
                throw new IllegalArgumentException("users must be 1.." + dataUsers + " (the data set's users), but was "
                        + users);
            }
        }
    }

    public ClosedLoop(Settings settings) {
        this.settings = settings;
    }

    /** Drives {@code service} until warm-up and window are over, and returns what the window measured. */
    public LoadResult run(DirectoryService service, double roundTripLatencyMs) throws InterruptedException {
        Directory directory = service.directory();
        long run = RUNS.incrementAndGet();
        URI base = URI.create("http://127.0.0.1:" + service.port());
        long start = System.nanoTime();
        long measureFrom = start + settings.warmup().toNanos();
        long measureTo = measureFrom + settings.duration().toNanos();
        List<User> users = new ArrayList<>(settings.users());
        Sampler sampler = new Sampler(directory, service, measureFrom, measureTo);
        try (HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(settings.timeout()).build();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            threads.submit(sampler);
            for (int i = 0; i < settings.users(); i++) {
                User user = new User(i, run, client, base, measureFrom, measureTo);
                users.add(user);
                threads.submit(user);
            }
        } // waits for every user to finish its last action and for the sampler
        return result(directory.name(), users, sampler, roundTripLatencyMs);
    }

    private LoadResult result(String impl, List<User> users, Sampler sampler, double roundTripLatencyMs) {
        int count = 0;
        for (User u : users) {
            count += u.measured;
        }
        long[] all = new long[count];
        int at = 0;
        long errors = 0;
        Map<String, Long> kinds = new HashMap<>();
        for (User u : users) {
            System.arraycopy(u.latencies, 0, all, at, u.measured);
            at += u.measured;
            for (var e : u.errors.entrySet()) {
                kinds.merge(e.getKey(), e.getValue(), Long::sum);
                errors += e.getValue();
            }
        }
        Arrays.sort(all);
        double window = settings.duration().toNanos() / 1e9;
        long handled = Math.max(1, sampler.handled());
        Directory.Stats delta = sampler.delta();
        return new LoadResult(impl, settings.users(), count, errors, kinds, window, (count - errors) / window,
                percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99),
                (double) delta.roundTrips() / handled, delta.connectionHoldNanos() / 1e6 / handled,
                sampler.meanWaiting() * window * 1000 / handled, sampler.maxWaiting,
                settings.think().toNanos() / 1e6, roundTripLatencyMs);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** Samples the pools' waiting threads every 25 ms and the counters at the window's edges. */
    private static final class Sampler implements Runnable {
        private final Directory directory;
        private final DirectoryService service;
        private final long from;
        private final long to;
        private Directory.@Nullable Stats first;
        private Directory.@Nullable Stats last;
        private long handledFirst;
        private long handledLast;
        private long waitingSum;
        private long samples;
        int maxWaiting;

        Sampler(Directory directory, DirectoryService service, long from, long to) {
            this.directory = directory;
            this.service = service;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            try {
                sleepUntil(from);
                first = directory.stats();
                handledFirst = service.handled();
                while (System.nanoTime() < to) {
                    int waiting = directory.stats().waitingForConnection();
                    waitingSum += waiting;
                    samples++;
                    maxWaiting = Math.max(maxWaiting, waiting);
                    Thread.sleep(25);
                }
                last = directory.stats();
                handledLast = service.handled();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long handled() {
            return handledLast - handledFirst;
        }

        Directory.Stats delta() {
            if (first == null || last == null) {
                return new Directory.Stats(0, 0, 0);
            }
            return new Directory.Stats(last.roundTrips() - first.roundTrips(),
                    last.connectionHoldNanos() - first.connectionHoldNanos(), 0);
        }

        double meanWaiting() {
            return samples == 0 ? 0 : (double) waitingSum / samples;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /** One virtual user: its own random stream, its own profile to edit, its own results. */
    private final class User implements Runnable {
        private final int index;
        private final long run;
        private final HttpClient client;
        private final URI base;
        private final long measureFrom;
        private final long measureTo;
        private final Random random;
        private final Map<String, Long> errors = new HashMap<>();
        private long[] latencies = new long[256];
        private int measured;
        private int actions;

        User(int index, long run, HttpClient client, URI base, long measureFrom, long measureTo) {
            this.index = index;
            this.run = run;
            this.client = client;
            this.base = base;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.random = new Random(run * 31 + index);
        }

        @Override
        public void run() {
            try {
                // Users arrive spread over one mean think time, not all at once.
                Thread.sleep(Duration.ofNanos((long) (random.nextDouble() * settings.think().toNanos())));
                while (System.nanoTime() < measureTo) {
                    action();
                    think();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void think() throws InterruptedException {
            double mean = settings.think().toNanos();
            long nanos = (long) Math.min(-Math.log(1 - random.nextDouble()) * mean, 5 * mean);
            Thread.sleep(Duration.ofNanos(nanos));
        }

        private void action() throws InterruptedException {
            actions++;
            int dice = random.nextInt(100);
            if (dice < 40) {
                send(get("/groups/" + (1 + random.nextInt(settings.groups())) + "/members", null), 200, null);
            } else if (dice < 75) {
                String first = SampleData.FIRST_NAMES[random.nextInt(SampleData.FIRST_NAMES.length)];
                String prefix = first.substring(0, Math.min(first.length(), 2 + random.nextInt(3)));
                send(get("/search?q=" + encode(random.nextBoolean() ? prefix : prefix.toLowerCase()) + "&limit=20",
                        null), 200, null);
            } else if (dice < 90) {
                long id = index + 1;
                String name = "User " + index + " v" + actions;
                Answer put = send(write("PUT", "/users/" + id + "/profile", "name=" + encode(name)
                        + "&city=Lyon&bio=" + encode("updated in run " + run)), 204, null);
                if (put != null) {
                    send(get("/users/" + id, put.token), 200, "\"name\":\"" + name + "\"");
                }
            } else {
                String name = "New " + index + "-" + actions;
                Answer created = send(write("POST", "/signup", "email=" + encode("load-" + run + "-" + index + "-"
                        + actions + "@example.org") + "&name=" + encode(name) + "&country=DE&language=de&city=Berlin"
                        + "&group=" + (1 + random.nextInt(settings.groups()))), 201, null);
                if (created != null) {
                    String id = created.body.replaceAll("\\D", "");
                    send(get("/users/" + id, created.token), 200, "\"name\":\"" + name + "\"");
                }
            }
        }

        private HttpRequest get(String path, @Nullable String token) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(settings.timeout()).GET();
            if (token != null) {
                b.header(ConsistencySession.HEADER, token);
            }
            return b.build();
        }

        private HttpRequest write(String method, String path, String form) {
            return HttpRequest.newBuilder(base.resolve(path)).timeout(settings.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(form)).build();
        }

        /**
         * Sends one request and records it when it started in the window.
         *
         * @return the answer when it had the expected status (and body fragment), else null
         */
        private @Nullable Answer send(HttpRequest request, int expected, @Nullable String mustContain)
                throws InterruptedException {
            long begin = System.nanoTime();
            String error = null;
            Answer answer = null;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status != expected) {
                    error = status == 503 ? "503" : status >= 500 ? "5xx" : "4xx";
                } else if (mustContain != null && !response.body().contains(mustContain)) {
                    error = "stale";
                } else {
                    answer = new Answer(response.body(),
                            response.headers().firstValue(ConsistencySession.HEADER).orElse(null));
                }
            } catch (HttpTimeoutException e) {
                error = "timeout";
            } catch (IOException e) {
                error = "io";
            }
            if (begin >= measureFrom && begin < measureTo) {
                if (measured == latencies.length) {
                    latencies = Arrays.copyOf(latencies, measured * 2);
                }
                latencies[measured++] = System.nanoTime() - begin;
                if (error != null) {
                    errors.merge(error, 1L, Long::sum);
                }
            }
            return answer;
        }
    }

    private record Answer(String body, @Nullable String token) {
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
