package dev.junction.samples.load;

import dev.junction.samples.service.Directory;
import dev.junction.samples.service.DirectoryService;
import dev.junction.samples.service.SampleData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * does not show the write just made. Requests that start in the warm-up are not measured. Each user keeps one
 * keep-alive connection, as a browser does ({@link HttpConnection}), and opens a new one after a timeout.
 */
public final class ClosedLoop {
    private static final AtomicLong RUNS = new AtomicLong(System.currentTimeMillis());
    /** The requests of the mix, for the latency by endpoint. */
    static final String[] ENDPOINTS = {"members", "search", "profile_update", "profile_read_back", "signup",
        "signup_read_back"};

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
    public LoadResult run(DirectoryService service, double roundTripLatencyMs, Set<Long> postmasters)
            throws InterruptedException {
        Directory directory = service.directory();
        long run = RUNS.incrementAndGet();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", service.port());
        long start = System.nanoTime();
        long measureFrom = start + settings.warmup().toNanos();
        long measureTo = measureFrom + settings.duration().toNanos();
        List<User> users = new ArrayList<>(settings.users());
        Sampler sampler = new Sampler(directory, service, new CpuMeter(postmasters), measureFrom, measureTo);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            threads.submit(sampler);
            for (int i = 0; i < settings.users(); i++) {
                User user = new User(i, run, new HttpConnection(address), measureFrom, measureTo);
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
        List<List<Long>> byEndpoint = new ArrayList<>();
        for (int k = 0; k < ENDPOINTS.length; k++) {
            byEndpoint.add(new ArrayList<>());
        }
        int at = 0;
        long errors = 0;
        Map<String, Long> kinds = new HashMap<>();
        for (User u : users) {
            System.arraycopy(u.latencies, 0, all, at, u.measured);
            at += u.measured;
            for (int i = 0; i < u.measured; i++) {
                byEndpoint.get(u.endpoints[i]).add(u.latencies[i]);
            }
            for (var e : u.errors.entrySet()) {
                kinds.merge(e.getKey(), e.getValue(), Long::sum);
                errors += e.getValue();
            }
        }
        Arrays.sort(all);
        Map<String, double[]> endpoints = new java.util.LinkedHashMap<>();
        for (int k = 0; k < ENDPOINTS.length; k++) {
            long[] sorted = byEndpoint.get(k).stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length > 0) {
                endpoints.put(ENDPOINTS[k], new double[] {percentile(sorted, 0.5), percentile(sorted, 0.95)});
            }
        }
        double window = settings.duration().toNanos() / 1e9;
        long handled = Math.max(1, sampler.handled());
        Directory.Stats delta = sampler.delta();
        return new LoadResult(impl, settings.users(), count, errors, kinds, window, (count - errors) / window,
                percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99),
                (double) delta.roundTrips() / handled, delta.connectionHoldNanos() / 1e6 / handled,
                sampler.meanWaiting() * window * 1000 / handled, sampler.maxWaiting,
                (sampler.jvmCpu + sampler.dbCpu) * 1000 / handled, sampler.dbCpu * 1000 / handled,
                settings.think().toNanos() / 1e6, roundTripLatencyMs, endpoints);
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
        private final CpuMeter cpu;
        private final long from;
        private final long to;
        private Directory.@Nullable Stats first;
        private Directory.@Nullable Stats last;
        private long handledFirst;
        private long handledLast;
        private long waitingSum;
        private long samples;
        int maxWaiting;
        double jvmCpu;
        double dbCpu;

        Sampler(Directory directory, DirectoryService service, CpuMeter cpu, long from, long to) {
            this.directory = directory;
            this.service = service;
            this.cpu = cpu;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            try {
                sleepUntil(from);
                first = directory.stats();
                handledFirst = service.handled();
                double jvm0 = cpu.jvmSeconds();
                double db0 = cpu.databaseSeconds();
                while (System.nanoTime() < to) {
                    int waiting = directory.stats().waitingForConnection();
                    waitingSum += waiting;
                    samples++;
                    maxWaiting = Math.max(maxWaiting, waiting);
                    Thread.sleep(25);
                }
                last = directory.stats();
                handledLast = service.handled();
                jvmCpu = cpu.jvmSeconds() - jvm0;
                dbCpu = cpu.databaseSeconds() - db0;
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
        private final HttpConnection connection;
        private final long measureFrom;
        private final long measureTo;
        private final Random random;
        private final Map<String, Long> errors = new HashMap<>();
        private long[] latencies = new long[256];
        private byte[] endpoints = new byte[256];
        private int measured;
        private int actions;

        User(int index, long run, HttpConnection connection, long measureFrom, long measureTo) {
            this.index = index;
            this.run = run;
            this.connection = connection;
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
            } finally {
                connection.close();
            }
        }

        private void think() throws InterruptedException {
            double mean = settings.think().toNanos();
            long nanos = (long) Math.min(-Math.log(1 - random.nextDouble()) * mean, 5 * mean);
            Thread.sleep(Duration.ofNanos(nanos));
        }

        private void action() {
            actions++;
            int dice = random.nextInt(100);
            if (dice < 40) {
                send(0, "GET", "/groups/" + (1 + random.nextInt(settings.groups())) + "/members", null, null, 200, null);
            } else if (dice < 75) {
                String first = SampleData.FIRST_NAMES[random.nextInt(SampleData.FIRST_NAMES.length)];
                String prefix = first.substring(0, Math.min(first.length(), 2 + random.nextInt(3)));
                send(1, "GET", "/search?q=" + encode(random.nextBoolean() ? prefix : prefix.toLowerCase(java.util.Locale.ROOT)) + "&limit=20",
                        null, null, 200, null);
            } else if (dice < 90) {
                long id = index + 1;
                String name = "User " + index + " v" + actions;
                HttpConnection.Response put = send(2, "PUT", "/users/" + id + "/profile", null, "name=" + encode(name)
                        + "&city=Lyon&bio=" + encode("updated in run " + run), 204, null);
                if (put != null) {
                    send(3, "GET", "/users/" + id, put.token(), null, 200, "\"name\":\"" + name + "\"");
                }
            } else {
                String name = "New " + index + "-" + actions;
                HttpConnection.Response created = send(4, "POST", "/signup", null, "email=" + encode("load-" + run + "-"
                        + index + "-" + actions + "@example.org") + "&name=" + encode(name)
                        + "&country=DE&language=de&city=Berlin&group=" + (1 + random.nextInt(settings.groups())), 201,
                        null);
                if (created != null) {
                    String id = created.body().replaceAll("\\D", "");
                    send(5, "GET", "/users/" + id, created.token(), null, 200, "\"name\":\"" + name + "\"");
                }
            }
        }

        /**
         * Sends one request and records it when it started in the window.
         *
         * @return the answer when it had the expected status (and body fragment), else null
         */
        private HttpConnection.@Nullable Response send(int endpoint, String method, String path, @Nullable String token,
                @Nullable String form, int expected, @Nullable String mustContain) {
            long begin = System.nanoTime();
            String error = null;
            HttpConnection.Response answer = null;
            try {
                HttpConnection.Response response = connection.send(method, path, token, form,
                        begin + settings.timeout().toNanos());
                int status = response.status();
                if (status != expected) {
                    error = status == 503 ? "503" : status >= 500 ? "5xx" : "4xx";
                } else if (mustContain != null && !response.body().contains(mustContain)) {
                    error = "stale";
                } else {
                    answer = response;
                }
            } catch (HttpConnection.TimeoutException e) {
                error = "timeout";
            } catch (IOException e) {
                error = "io";
            }
            if (begin >= measureFrom && begin < measureTo) {
                if (measured == latencies.length) {
                    latencies = Arrays.copyOf(latencies, measured * 2);
                    endpoints = Arrays.copyOf(endpoints, measured * 2);
                }
                endpoints[measured] = (byte) endpoint;
                latencies[measured++] = System.nanoTime() - begin;
                if (error != null) {
                    errors.merge(error, 1L, Long::sum);
                }
            }
            return answer;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
