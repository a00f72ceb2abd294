package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.Consistency;
import dev.junction.ConsistencySession;
import dev.junction.ConsistencyToken;
import dev.junction.Database;
import dev.junction.InvalidConsistencyTokenException;
import dev.junction.Junction;
import dev.junction.metrics.MeterNames;
import dev.junction.routing.ConsistencySettings.InvalidTokenPolicy;
import dev.junction.testkit.EmbeddedPostgresCluster;
import dev.junction.testkit.LogCapture;
import dev.junction.testkit.WithEmbeddedCluster;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads with a consistency token that does not parse or fails its checksum go where {@code consistency.invalidToken}
 * says (issue 20): the primary ({@code strong}, the default), a replica ({@code eventual}), or nowhere
 * ({@code reject}); each is counted as {@code token_invalid}, and the token's text appears in no log line, meter or
 * message.
 */
@WithEmbeddedCluster(replicas = 1)
class InvalidTokenPolicyIT {
    private static final String GOOD = ConsistencyToken.of(42, 1, 0x3000148, Instant.parse("2026-12-03T10:00:00Z"))
            .encode();
    /** A token whose checksum no longer matches: what a forger without the algorithm sends. */
    private static final String FORGED = GOOD.substring(0, 25) + (GOOD.charAt(25) == 'Q' ? 'R' : 'Q')
            + GOOD.substring(26);

    private static ClusterRouter router(EmbeddedPostgresCluster cluster, InvalidTokenPolicy policy) {
        ClusterRouter router = ClusterRouter.create(Clusters.config(cluster)
                .consistency(ConsistencySettings.builder().invalidToken(policy).build()).build());
        Clusters.await(router, Duration.ofSeconds(30), "the replica is eligible",
                () -> Clusters.status(router, "replica-1").eligible());
        return router;
    }

    private static String servedBy(Database db, Consistency consistency) {
        return db.readReported(consistency, ctx -> ctx.fetchSingle("select 1").get(0)).report().nodes().get(0)
                .name();
    }

    @Test
    void byDefaultAReadWithAForgedTokenGoesToThePrimaryAndIsCountedAsTokenInvalid(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = router(cluster, ConsistencySettings.defaults().invalidToken());
             Database db = Junction.builder().router(router).build()) {
            assertThat(servedBy(db, Consistency.afterToken(FORGED))).isEqualTo("primary");
            assertThat(servedBy(db, ConsistencySession.restore(FORGED).consistency())).isEqualTo("primary");
            assertThat(router.routingCounts()).containsEntry("token_invalid", 2L).containsEntry("strong", 2L);
        }
    }

    @Test
    void withEventualAReadWithAForgedTokenGoesToAReplica(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = router(cluster, InvalidTokenPolicy.EVENTUAL);
             Database db = Junction.builder().router(router).build()) {
            assertThat(servedBy(db, Consistency.afterToken(FORGED))).isEqualTo("replica-1");
            assertThat(servedBy(db, Consistency.afterToken(GOOD.substring(0, 20)))).isEqualTo("replica-1");
            assertThat(router.routingCounts()).containsEntry("token_invalid", 2L).containsEntry("replica", 2L)
                    .doesNotContainKey("strong");
        }
    }

    @Test
    void withRejectAReadWithAForgedTokenIsRefusedNamingTheProblemButNotTheToken(EmbeddedPostgresCluster cluster) {
        try (ClusterRouter router = router(cluster, InvalidTokenPolicy.REJECT);
             Database db = Junction.builder().router(router).build()) {
            assertThatThrownBy(() -> servedBy(db, Consistency.afterToken(FORGED)))
                    .isInstanceOfSatisfying(InvalidConsistencyTokenException.class, e -> {
                        assertThat(e.problem()).isEqualTo(InvalidConsistencyTokenException.Problem.CHECKSUM);
                        assertThat(e.getMessage()).isEqualTo("the read's consistency token cannot be used: its"
                                + " checksum does not match (corrupted or forged); reads with such tokens are refused"
                                + " (consistency.invalidToken: reject). Carry the token unchanged from the response"
                                + " that issued it, or send none for a read that needs no earlier write");
                    });
            assertThatThrownBy(() -> servedBy(db, Consistency.afterToken("' or 1=1 --")))
                    .isInstanceOfSatisfying(InvalidConsistencyTokenException.class,
                            e -> assertThat(e.problem()).isEqualTo(InvalidConsistencyTokenException.Problem.LENGTH));
            assertThat(servedBy(db, Consistency.afterToken(null))).as("no token is no bad token")
                    .isEqualTo("replica-1");
            assertThat(router.routingCounts()).containsEntry("token_invalid", 2L).doesNotContainKey("strong");
        }
    }

    @Test
    void badTokensAreLoggedOncePerIntervalAndTheirTextAppearsInNoLogLineMeterOrMessage(
            EmbeddedPostgresCluster cluster) {
        List<String> tokens = List.of(FORGED, GOOD.substring(0, 30), GOOD.substring(0, 38) + "%",
                "bad-token-Zq81-text-that-is-39-chars-xx");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> messages = new ArrayList<>();
        String logged;
        try (LogCapture log = new LogCapture()) {
            for (InvalidTokenPolicy policy : InvalidTokenPolicy.values()) {
                try (ClusterRouter router = router(cluster, policy);
                     Database db = Junction.builder().router(router).build()) {
                    RoutingMetrics.bind(router, registry);
                    for (String token : tokens) {
                        try {
                            servedBy(db, Consistency.afterToken(token));
                        } catch (InvalidConsistencyTokenException e) {
                            messages.add(e.getMessage());
                        }
                    }
                    assertThat(registry.get(MeterNames.ROUTE).tag("reason", "token_invalid").functionCounter()
                            .count()).as(policy.name()).isEqualTo(tokens.size());
                    for (Meter m : registry.getMeters()) {
                        messages.add(m.getId().getName() + m.getId().getTags().stream().map(Tag::getValue).toList()
                                + m.getId().getDescription());
                    }
                    registry.clear();
                }
            }
            logged = log.text();
        }
        assertThat(log(logged, "consistency token that cannot be used")).as("one line per router").hasSize(3)
                .allMatch(line -> line.contains("1 read(s) came with a consistency token that cannot be used"));
        assertThat(messages).hasSizeGreaterThan(tokens.size());
        for (String token : tokens) {
            String fragment = token.substring(0, 16);
            assertThat(logged).doesNotContain(fragment);
            assertThat(messages).noneMatch(m -> m.contains(fragment));
        }
    }

    private static List<String> log(String text, String fragment) {
        return text.lines().filter(l -> l.contains(fragment)).toList();
    }
}
