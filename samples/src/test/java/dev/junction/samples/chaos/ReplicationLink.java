package dev.junction.samples.chaos;

import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.PgNode;
import dev.junction.testkit.TcpProxy;
import dev.junction.testkit.TestkitException;
import java.time.Duration;
import java.util.Objects;

/**
 * A replica's replication connection to its primary, routed through a {@link TcpProxy} of its own, so that the two
 * can be partitioned while the application still reaches both directly. {@link #cut()} blackholes the proxy: the
 * replica's WAL receiver waits on a connection that delivers nothing (PostgreSQL gives up on it only after
 * {@code wal_receiver_timeout}, 60 s), so the replica keeps answering queries while its replay stands still.
 * {@link #heal()} resets that dead connection and forwards again, as a connection that timed out across a partition
 * and is opened anew; the replica retries every {@code wal_retrieve_retry_interval}, lowered here to 100 ms (default
 * 5 s) so that the figure is the router's, not PostgreSQL's retry wait. {@link #close()} points the replica straight
 * at its primary again and waits until it streams from there.
 */
final class ReplicationLink implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgresCluster cluster;
    private final PgNode replica;
    private final TcpProxy proxy;

    private ReplicationLink(EmbeddedPostgresCluster cluster, PgNode replica, TcpProxy proxy) {
        this.cluster = cluster;
        this.replica = replica;
        this.proxy = proxy;
    }

    /** Routes {@code replica}'s replication through a new proxy and waits until it streams through it. */
    static ReplicationLink through(EmbeddedPostgresCluster cluster, PgNode replica) {
        TcpProxy proxy = TcpProxy.start(cluster.primary().host(), cluster.primary().port());
        ReplicationLink link = new ReplicationLink(cluster, replica, proxy);
        try {
            replica.execute("alter system set wal_retrieve_retry_interval = '100ms'");
            link.pointAt(proxy.port());
            return link;
        } catch (RuntimeException | Error e) {
            proxy.close();
            throw e;
        }
    }

    /** Blackholes the link: nothing passes either way, and nothing is closed. */
    void cut() {
        proxy.blackhole();
    }

    /** Ends the dead connection and forwards again; the replica reconnects at its next retry. */
    void heal() {
        proxy.refuse();
        proxy.restore();
    }

    /** Points the replica straight at its primary again (default retry interval) and closes the proxy. */
    @Override
    public void close() {
        try {
            proxy.restore();
            replica.execute("alter system reset wal_retrieve_retry_interval");
            pointAt(cluster.primary().port());
        } finally {
            proxy.close();
        }
    }

    private void pointAt(int port) {
        PgNode primary = cluster.primary();
        replica.execute("alter system set primary_conninfo = 'host=" + primary.host() + " port=" + port + " user="
                + cluster.superuser() + " password=" + cluster.password() + " application_name=" + replica.name()
                + "'");
        replica.queryValue("select pg_reload_conf()");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!streamingFrom(port)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica '" + replica.name() + "' does not stream from port " + port
                        + " within " + WAIT + ": " + replica.query("select * from pg_stat_wal_receiver"));
            }
            pause();
        }
    }

    private boolean streamingFrom(int port) {
        try {
            return Objects.equals(Boolean.TRUE, replica.queryValue(
                    "select status = 'streaming' and sender_port = ? from pg_stat_wal_receiver", port));
        } catch (TestkitException e) {
            return false; // a conflict with recovery cancelled the look (issue 24); the next one decides
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
