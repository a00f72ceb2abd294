package dev.junction.internal.observation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 22: server.address and server.port from a node's JDBC URL, never its credentials. */
class ServerAddressTest {

    @Test
    void hostAndPortAreTheUrlsFirstHost() {
        assertThat(ServerAddress.parse("jdbc:postgresql://127.0.0.1:39945/junction?ApplicationName=x"))
                .isEqualTo(new ServerAddress("127.0.0.1", 39945));
        assertThat(ServerAddress.parse("jdbc:postgresql://db-a:5433,db-b:5434/app"))
                .isEqualTo(new ServerAddress("db-a", 5433));
        assertThat(ServerAddress.parse("jdbc:postgresql://[::1]:6543/app")).isEqualTo(new ServerAddress("::1", 6543));
    }

    @Test
    void aMissingPortIsPostgresqlsDefault() {
        assertThat(ServerAddress.parse("jdbc:postgresql://Db.Example/app")).isEqualTo(new ServerAddress("db.example",
                5432));
        assertThat(ServerAddress.parse("jdbc:postgresql:app")).isEqualTo(new ServerAddress("localhost", 5432));
    }

    @Test
    void credentialsInTheUrlNeverReachTheAddress() {
        ServerAddress a = ServerAddress.parse("jdbc:postgresql://app:S3cret@db:5432/app?password=S3cret&user=app");
        assertThat(a).isEqualTo(new ServerAddress("db", 5432));
        assertThat(a.toString()).doesNotContain("S3cret");
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(ServerAddress.parse("jdbc:h2:mem:x").known()).isFalse();
        assertThat(ServerAddress.parse("jdbc:postgresql://db:port/app").known()).isFalse();
    }
}
