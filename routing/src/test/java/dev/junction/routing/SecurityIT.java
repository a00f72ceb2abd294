package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.Commit;
import dev.junction.ConfigurationException;
import dev.junction.Consistency;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.Junction;
import dev.junction.Reported;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.WithEmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS settings in a node URL reach pgJDBC, and hostile consistency tokens are served safely (issue 9). The embedded
 * servers run without TLS, which is what makes the TLS tests conclusive: a driver that never saw
 * {@code sslmode=verify-full} would have connected.
 */
@WithEmbeddedCluster(replicas = 1)
class SecurityIT {

    @BeforeAll
    static void schema(EmbeddedPostgresCluster cluster) {
        cluster.primary().execute("create table secrets_test (id bigint primary key, label text not null)");
        cluster.primary().execute("grant all on secrets_test to " + cluster.user());
        cluster.awaitReplication(Duration.ofSeconds(30));
    }

    private static RoutingConfig.Builder withPrimaryUrl(EmbeddedPostgresCluster cluster, String primaryUrl) {
        return RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                .node(NodeConfig.primary("primary", primaryUrl))
                .node(NodeConfig.replica("replica-1", cluster.replicas().get(0).jdbcUrl()));
    }

    @Test
    void verifyFullAgainstAServerWithoutTlsIsRefusedAtStartUpWithPgjdbcsSslError(EmbeddedPostgresCluster cluster,
            @TempDir Path dir) throws IOException {
        Path ca = Files.writeString(dir.resolve("root.crt"), "not used: the server refuses TLS first\n");
        String url = cluster.primary().jdbcUrl() + "?sslmode=verify-full&sslrootcert=" + ca;

        assertThatThrownBy(() -> ClusterRouter.create(withPrimaryUrl(cluster, url).build()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nodes[0].url: node 'primary'")
                .hasMessageContaining("SQLState 08004: The server does not support SSL.")
                // URL parameters may carry secrets: the message shows the address only.
                .hasMessageNotContaining("sslrootcert");
    }

    @Test
    void sslrootcertInTheUrlReachesPgjdbc(EmbeddedPostgresCluster cluster, @TempDir Path dir) throws Exception {
        // A server that says yes to TLS: pgJDBC then loads the root certificate named in the URL, before any
        // handshake. That file does not exist, and pgJDBC says so by name.
        Path missing = dir.resolve("no-such-ca.pem");
        try (TlsWillingServer server = new TlsWillingServer()) {
            String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/app?sslmode=verify-full&sslrootcert="
                    + missing;
            RoutingConfig config = RoutingConfig.builder().credentials(cluster.user(), cluster.password())
                    .node(NodeConfig.primary("primary", url)).build();

            assertThatThrownBy(() -> ClusterRouter.create(config)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("node 'primary'")
                    .hasMessageContaining("Could not open SSL root certificate file " + missing);
            assertThat(server.sslRequests()).isPositive();
        }
    }

    @Test
    void sslmodeDisableAndPreferWorkAgainstAServerWithoutTls(EmbeddedPostgresCluster cluster) {
        for (String mode : new String[] {"disable", "prefer", "allow"}) {
            String url = cluster.primary().jdbcUrl() + "?sslmode=" + mode;
            try (ClusterRouter router = ClusterRouter.create(withPrimaryUrl(cluster, url).build());
                 Database db = Junction.builder().router(router).build()) {
                db.write(ctx -> ctx.execute("insert into secrets_test values (?, ?) on conflict (id) do nothing",
                        mode.length(), mode));
                assertThat(router.topology().snapshot()).as(mode).allMatch(NodeStatus::eligible);
            }
        }
    }

    @Test
    void aForgedTokenFromTheFutureIsServedByThePrimaryAfterOneBoundedWait(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = ClusterRouter.create(Clusters.config(cluster)
                .consistency(ConsistencySettings.builder().maxWait(Duration.ofMillis(50)).build()).build());
             Database db = Junction.builder().router(router).build()) {
            Commit<Integer> c = db.write(ctx -> ctx.execute("insert into secrets_test values (100, 'real')"));
            // Checksummed, same cluster and timeline, but a WAL position no replica will reach for years.
            ConsistencyToken forged = ConsistencyToken.of(c.token().systemIdentifier(), c.token().timeline(),
                    c.token().lsn() + (1L << 40), Instant.now());

            Reported<String> read = db.readReported(Consistency.afterToken(forged.encode()),
                    ctx -> ctx.fetchSingle("select label from secrets_test where id = 100").get(0, String.class));

            assertThat(read.value()).isEqualTo("real");
            assertThat(read.report().routeReasons()).containsExactly("token_primary");
            TokenReadStats stats = router.tokenReads();
            assertThat(stats.replayChecks()).as("one bounded wait on a replica, then the primary").isEqualTo(1);
            assertThat(stats.servedByPrimary()).isEqualTo(1);
        }
    }

    /** Accepts connections, answers pgJDBC's SSLRequest with 'S' (yes) and then waits for the client to give up. */
    private static final class TlsWillingServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

        TlsWillingServer() throws IOException {
            threads.execute(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        int sslRequests() {
            return requests.get();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    threads.execute(() -> answer(client));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void answer(Socket client) {
            try (client) {
                InputStream in = client.getInputStream();
                // SSLRequest: length 8, code 80877103
                byte[] request = in.readNBytes(8);
                if (request.length == 8 && request[4] == 0x04 && request[5] == (byte) 0xd2 && request[6] == 0x16
                        && request[7] == 0x2f) {
                    requests.incrementAndGet();
                    client.getOutputStream().write('S');
                    client.getOutputStream().flush();
                }
                in.read(); // until the client closes
            } catch (IOException ignored) {
                // the client gave up, as expected
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            threads.shutdownNow();
        }
    }
}
