package dev.junction.routing.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The leases one node has lent now, kept by {@link RoutedLease} itself from its start to its release, and the failover
 * fence that ends them ({@link #fence}). Thread-safe: leases come and go on callers' threads, the fence runs on the
 * monitor's.
 */
final class LentLeases {
    private final Set<RoutedLease> lent = ConcurrentHashMap.newKeySet();
    private final LongAdder fenced = new LongAdder();

    /** A lease starts; {@link #fence} may end it until {@link #returned} is called. */
    void lent(RoutedLease lease) {
        lent.add(lease);
    }

    void returned(RoutedLease lease) {
        lent.remove(lease);
    }

    /**
     * The failover fence: the node stopped being the write target, so every connection lent from it now is aborted
     * ({@link Connection#abort}, on {@code executor}) and the pool's idle connections are evicted. A caller blocked in
     * a socket read on an unreachable (blackholed) old primary gets its connection error at once, its unit fails as
     * usual (a write as {@code WriteInterruptedException}, saying whether its commit was on its way), and the
     * application moves to the new primary instead of waiting for {@code socketTimeout}. On a node that is merely
     * demoted the connections would fail at their next statement anyway; nothing is lost by ending them now.
     *
     * @return how many lent connections were aborted
     */
    int fence(Executor executor, HikariDataSource pool) {
        List<RoutedLease> now = List.copyOf(lent);
        for (RoutedLease lease : now) {
            lease.abort(executor);
        }
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx != null) {
            mx.softEvictConnections();
        }
        fenced.add(now.size());
        return now.size();
    }

    /** Lent connections the fence aborted. */
    long fenced() {
        return fenced.sum();
    }
}
