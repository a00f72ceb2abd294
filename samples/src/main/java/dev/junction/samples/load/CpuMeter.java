package dev.junction.samples.load;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time used so far by this JVM (the service, the load generator and the proxies) and by the PostgreSQL servers
 * (each postmaster and its children), read from {@code /proc}. On a machine without {@code /proc} the database
 * figure is NaN. Linux counts in clock ticks of 10 ms, so compare totals over seconds, not single requests.
 */
final class CpuMeter {
    private static final double TICK_SECONDS = 0.01;

    private final Set<Long> postmasters;

    CpuMeter(Set<Long> postmasters) {
        this.postmasters = Set.copyOf(postmasters);
    }

    /** CPU seconds of this JVM. */
    double jvmSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** CPU seconds of the PostgreSQL processes, ended backends included (their time goes to the postmaster). */
    double databaseSeconds() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return Double.NaN;
        }
        long ticks = 0;
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // Fields after "(comm)": state ppid ... utime(12) stime(13) cutime(14) cstime(15)
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    long ppid = Long.parseLong(f[1]);
                    if (postmasters.contains(pid)) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                                + Long.parseLong(f[14]);
                    } else if (postmasters.contains(ppid)) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked: its time is in its parent's cutime now
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks * TICK_SECONDS;
    }
}
