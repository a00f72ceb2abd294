package dev.junction.samples.chaos;

import dev.junction.Commit;
import dev.junction.Consistency;
import dev.junction.Database;
import dev.junction.Reported;
import dev.junction.UnitReport;
import dev.junction.WriteInterruptedException;
import dev.junction.testkit.Causes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A steady mixed load on one {@link Database}, on virtual threads: writers insert rows with ids chosen here (so an
 * acknowledged write can be looked for afterwards), each followed by a read after the write's own token; readers
 * read recently written rows at eventual consistency. Every unit is recorded as an {@link Op}.
 *
 * <p>What it remembers: the ids of acknowledged writes (the commit returned), the ids whose commit outcome is unknown
 * (the connection was lost during the commit), the ids of writes interrupted before their commit (which Junction
 * reports as not applied, {@link WriteInterruptedException#mayHaveBeenApplied()} false), and every token read that did not see its own write (a stale read).
 */
final class Load {
    static final String INSERT = "insert into chaos_events (id, writer, body) values (?, ?, ?)";
    static final String SELECT = "select body from chaos_events where id = ?";

    private final Database db;
    private final int writers;
    private final int readers;
    private final Duration think;
    private final AtomicLong ids;
    private final Queue<Op> ops = new ConcurrentLinkedQueue<>();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<Long> inDoubt = ConcurrentHashMap.newKeySet();
    private final Set<Long> notApplied = ConcurrentHashMap.newKeySet();
    private final List<String> staleReads = new CopyOnWriteArrayList<>();
    private final Map<String, String> firstMessages = new ConcurrentHashMap<>();
    private final AtomicLongArray recent = new AtomicLongArray(1024);
    private final AtomicLong recentCount = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    Load(Database db, int writers, int readers, Duration think, AtomicLong ids) {
        this.db = db;
        this.writers = writers;
        this.readers = readers;
        this.think = think;
        this.ids = ids;
    }

    static String body(long id) {
        return "event-" + id;
    }

    void start() {
        running = true;
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().name("chaos-writer-" + w).start(() -> writeLoop(writer)));
        }
        for (int r = 0; r < readers; r++) {
            threads.add(Thread.ofVirtual().name("chaos-reader-" + r).start(this::readLoop));
        }
    }

    /** Stops the workers after their current unit; true when every one ended within {@code timeout}. */
    boolean stop(Duration timeout) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                all = false;
            }
        }
        return all;
    }

    private void writeLoop(int writer) {
        while (running) {
            long id = ids.incrementAndGet();
            long start = System.nanoTime();
            Commit<Integer> commit;
            try {
                commit = db.write(ctx -> ctx.execute(INSERT, id, writer, body(id)));
            } catch (RuntimeException e) {
                if (commitOutcomeUnknown(e)) {
                    inDoubt.add(id);
                }
                if (e instanceof WriteInterruptedException w && !w.mayHaveBeenApplied()) {
                    notApplied.add(id);
                }
                ops.add(new Op(Op.Kind.WRITE, start, System.nanoTime(), null, name(e), null, Causes.socketTimeouts(e)));
                pause();
                continue;
            }
            acknowledged.add(id);
            recent.set((int) (recentCount.getAndIncrement() % recent.length()), id);
            ops.add(new Op(Op.Kind.WRITE, start, System.nanoTime(), lastNode(commit.report()), null, null));

            long readStart = System.nanoTime();
            try {
                Reported<Optional<String>> read = db.readReported(Consistency.after(commit.token()),
                        ctx -> ctx.fetchOptional(SELECT, id).map(r -> r.get(0, String.class)));
                if (!read.value().equals(Optional.of(body(id)))) {
                    staleReads.add("id " + id + " read " + read.value() + " on " + lastNode(read.report()) + " ("
                            + read.report().routeReasons() + ")");
                }
                ops.add(new Op(Op.Kind.TOKEN_READ, readStart, System.nanoTime(), lastNode(read.report()), null,
                        firstFailedNode(read.report())));
            } catch (RuntimeException e) {
                ops.add(new Op(Op.Kind.TOKEN_READ, readStart, System.nanoTime(), null, name(e), null));
            }
            pause();
        }
    }

    private void readLoop() {
        while (running) {
            long known = Math.min(recentCount.get(), recent.length());
            long id = known == 0 ? 0 : recent.get(ThreadLocalRandom.current().nextInt((int) known));
            long start = System.nanoTime();
            try {
                Reported<Optional<String>> read = db.readReported(
                        ctx -> ctx.fetchOptional(SELECT, id).map(r -> r.get(0, String.class)));
                ops.add(new Op(Op.Kind.READ, start, System.nanoTime(), lastNode(read.report()), null,
                        firstFailedNode(read.report())));
            } catch (RuntimeException e) {
                ops.add(new Op(Op.Kind.READ, start, System.nanoTime(), null, name(e), null));
            }
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(think);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The message Junction gives a commit whose connection was lost: it may or may not have been applied. */
    private static boolean commitOutcomeUnknown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("may or may not have been applied")) {
                return true;
            }
        }
        return false;
    }

    private String name(Throwable e) {
        String name = e.getClass().getSimpleName();
        firstMessages.computeIfAbsent(name, k -> {
            String m = String.valueOf(e.getMessage());
            Throwable cause = e.getCause();
            String withCause = cause == null ? m : m + " (cause: " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage() + ")";
            return withCause.length() > 400 ? withCause.substring(0, 400) + "..." : withCause;
        });
        return name;
    }

    /** The first message seen for each kind of failure, for the report. */
    Map<String, String> failureExamples() {
        return new java.util.TreeMap<>(firstMessages);
    }

    private static @Nullable String lastNode(UnitReport report) {
        List<UnitReport.ConnectionUse> uses = report.connections();
        return uses.isEmpty() ? null : uses.get(uses.size() - 1).node().name();
    }

    private static @Nullable String firstFailedNode(UnitReport report) {
        List<UnitReport.ConnectionUse> uses = report.connections();
        return uses.size() > 1 && uses.get(0).failed() ? uses.get(0).node().name() : null;
    }

    List<Op> ops() {
        return List.copyOf(ops);
    }

    /** The first op matching {@code p} that started at or after {@code nanos}, if any yet. */
    @Nullable Op firstStartedAfter(long nanos, Predicate<Op> p) {
        Op first = null;
        for (Op op : ops) {
            if (op.startNanos() >= nanos && p.test(op) && (first == null || op.endNanos() < first.endNanos())) {
                first = op;
            }
        }
        return first;
    }

    Set<Long> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    Set<Long> inDoubt() {
        return Set.copyOf(inDoubt);
    }

    /** Ids of writes that failed with {@link WriteInterruptedException} saying nothing was applied. */
    Set<Long> notApplied() {
        return Set.copyOf(notApplied);
    }

    List<String> staleReads() {
        return List.copyOf(staleReads);
    }
}
