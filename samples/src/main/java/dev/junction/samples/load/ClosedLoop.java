package dev.junction.samples.load;

import dev.junction.samples.bench.Latencies;
import dev.junction.samples.service.Directory;
import dev.junction.samples.service.DirectoryService;
import dev.junction.samples.service.SampleData;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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

    /** How often a run prints its progress line. */
    static final int PROGRESS_SECONDS = 10;

    private final Settings settings;
    /** Requests finished so far in the current run, warm-up included, and the failed ones: for the progress line. */
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();

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
        return run(service, roundTripLatencyMs, postmasters, null);
    }

    /**
     * Like {@link #run(DirectoryService, double, Set)}, printing a progress line to {@code progress} every
     * {@value #PROGRESS_SECONDS} s (users, elapsed time, requests and errors so far, warm-up included), so that a
     * long run is not silent.
     */
    public LoadResult run(DirectoryService service, double roundTripLatencyMs, Set<Long> postmasters,
            @Nullable PrintStream progress) throws InterruptedException {
        Directory directory = service.directory();
        long run = RUNS.incrementAndGet();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", service.port());
        long start = System.nanoTime();
        long measureFrom = start + settings.warmup().toNanos();
        long measureTo = measureFrom + settings.duration().toNanos();
        Tally tally = new Tally(ENDPOINTS);
        sent.reset();
        failed.reset();
        Sampler sampler = new Sampler(directory, service, new CpuMeter(postmasters), measureFrom, measureTo);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            threads.submit(sampler);
            if (progress != null) {
                threads.submit(() -> progress(progress, directory.name(), start, measureTo));
            }
            for (int i = 0; i < settings.users(); i++) {
                threads.submit(new User(i, run, new HttpConnection(address), measureFrom, measureTo, tally));
            }
        } // waits for every user to finish its last action, for the sampler and the progress line
        return result(directory.name(), tally, sampler, roundTripLatencyMs);
    }

    /** Every {@value #PROGRESS_SECONDS} s until the window ends: one line with the counts so far. */
    private void progress(PrintStream out, String impl, long start, long end) {
        long every = Duration.ofSeconds(PROGRESS_SECONDS).toNanos();
        long total = end - start;
        try {
            for (long next = start + every; next < end; next += every) {
                sleepUntil(next);
                long elapsed = System.nanoTime() - start;
                out.printf(Locale.ROOT, "    %s, %d users: %d s of %d s%s, %d requests so far, %d errors%n", impl,
                        settings.users(), elapsed / 1_000_000_000, total / 1_000_000_000,
                        elapsed < settings.warmup().toNanos() ? " (warm-up)" : "", sent.sum(), failed.sum());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LoadResult result(String impl, Tally tally, Sampler sampler, double roundTripLatencyMs) {
        long count = tally.requests();
        long errors = tally.errors();
        Latencies all = tally.all();
        double window = settings.duration().toNanos() / 1e9;
        long handled = Math.max(1, sampler.handled());
        Directory.Stats delta = sampler.delta();
        return new LoadResult(impl, settings.users(), count, errors, tally.errorsByKind(), window,
                (count - errors) / window, all.percentileMs(0.50), all.percentileMs(0.95), all.percentileMs(0.99),
                (double) delta.roundTrips() / handled, delta.connectionHoldNanos() / 1e6 / handled,
                sampler.meanWaiting() * window * 1000 / handled, sampler.maxWaiting, sampler.sheds(),
                delta.spills(), (sampler.jvmCpu + sampler.dbCpu) * 1000 / handled, sampler.dbCpu * 1000 / handled,
                settings.think().toNanos() / 1e6, roundTripLatencyMs, tally.endpoints());
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
        private long shedFirst;
        private long shedLast;
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
                shedFirst = service.sheds();
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
                shedLast = service.sheds();
                jvmCpu = cpu.jvmSeconds() - jvm0;
                dbCpu = cpu.databaseSeconds() - db0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long handled() {
            return handledLast - handledFirst;
        }

        long sheds() {
            return shedLast - shedFirst;
        }

        Directory.Stats delta() {
            if (first == null || last == null) {
                return new Directory.Stats(0, 0, 0, 0);
            }
            return new Directory.Stats(last.roundTrips() - first.roundTrips(),
                    last.connectionHoldNanos() - first.connectionHoldNanos(), 0, last.spills() - first.spills());
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
        private final Tally tally;
        private int actions;

        User(int index, long run, HttpConnection connection, long measureFrom, long measureTo, Tally tally) {
            this.index = index;
            this.run = run;
            this.connection = connection;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.random = new Random(run * 31 + index);
            this.tally = tally;
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
                String q = random.nextBoolean() ? prefix : prefix.toLowerCase(Locale.ROOT);
                send(1, "GET", "/search?q=" + encode(q) + "&limit=20", null, null, 200, null);
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
            long took = System.nanoTime() - begin;
            sent.increment();
            if (error != null) {
                failed.increment();
            }
            if (begin >= measureFrom && begin < measureTo) {
                tally.record(endpoint, took, error);
            }
            return answer;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
