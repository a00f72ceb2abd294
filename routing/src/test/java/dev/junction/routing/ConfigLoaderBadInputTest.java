package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.ConfigurationException;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Malformed {@code junction.yaml} files (issue 9): each one is refused with a message that names the file, the line,
 * the key and what to write instead. {@link ConfigLoaderTest} covers the basic cases (one bad URL form, unknown key,
 * bad number, bad enum, unset variable, duplicate key, empty string); this class covers the rest, one shape of mistake
 * at a time, with every message asserted in full.
 */
class ConfigLoaderBadInputTest {
    /** Seven lines: credentials and a primary. Problems appended below start on line 8. */
    private static final String HEAD = """
            credentials:
              user: app
              password: pw
            nodes:
              - name: primary
                url: jdbc:postgresql://db1:5432/app
                role: primary
            """;

    private static AbstractThrowableAssert<?, ? extends Throwable> loading(String yaml) {
        return assertThatThrownBy(() -> ConfigLoader.parse(yaml, "junction.yaml", Map.of()))
                .isInstanceOf(ConfigurationException.class);
    }

    private static String replica(String url) {
        return HEAD + "  - name: r1\n    url: " + url + "\n    role: replica\n";
    }

    // ---- wrong types ----

    @Test
    void aSectionGivenAsASingleValueIsRefused() {
        loading(HEAD + "pool: 5\n")
                .hasMessage("junction.yaml:8: pool: expected nested keys, but found a single value");
    }

    @Test
    void credentialsGivenAsAListReportBothTheShapeAndTheMissingUser() {
        loading("credentials: [app, pw]\n" + HEAD.substring(HEAD.indexOf("nodes:")))
                .hasMessage("junction.yaml has 2 problems:" + System.lineSeparator()
                        + "  junction.yaml:1: credentials: expected nested keys, but found a list"
                        + System.lineSeparator()
                        + "  junction.yaml:1: credentials.user: missing; set credentials.user in the file or the"
                        + " JUNCTION_USER environment variable");
    }

    @Test
    void aUrlGivenAsNestedKeysIsRefused() {
        loading(HEAD.replace("url: jdbc:postgresql://db1:5432/app", "url:\n      host: db1"))
                .hasMessage("junction.yaml:7: nodes[0].url: expected a single value, but found a mapping");
    }

    @Test
    void nodesGivenAsAMappingOrAsBareNamesAreRefused() {
        loading("credentials:\n  user: app\nnodes:\n  primary: jdbc:postgresql://db1/app\n")
                .hasMessage("junction.yaml:4: nodes: expected a list ('- ...'), but found a mapping");
        loading(HEAD + "  - replica-1\n")
                .hasMessage("junction.yaml:8: nodes[1]: expected name, url and (optionally) role, but found a single value");
    }

    @Test
    void aTopLevelListOrScalarIsRefused() {
        loading("- primary\n- replica\n").hasMessage("junction.yaml:1: expected keys such as 'nodes:' and"
                + " 'credentials:' at the top level, but found a list");
        loading("hello\n").hasMessage("junction.yaml:1: expected keys such as 'nodes:' and 'credentials:' at the"
                + " top level, but found a single value");
    }

    @Test
    void valuesOfTheWrongTypeNameTheAcceptedForms() {
        loading(HEAD + "pool:\n  primary:\n    maximumPoolSize: ten\n")
                .hasMessage("junction.yaml:10: pool.primary.maximumPoolSize: 'ten' is not a whole number");
        loading(HEAD + "pool:\n  primary:\n    maximumPoolSize: 2.5\n")
                .hasMessage("junction.yaml:10: pool.primary.maximumPoolSize: '2.5' is not a whole number");
        loading(HEAD + "startup:\n  skipDownNodes: maybe\n")
                .hasMessage("junction.yaml:9: startup.skipDownNodes: 'maybe' is not true or false");
        loading(HEAD + "replicaLag:\n  hysteresis: lots\n")
                .hasMessage("junction.yaml:9: replicaLag.hysteresis: 'lots' is not a fraction; write e.g. 0.8 or 80%");
        loading(HEAD + "replicaLag:\n  maxBytes: 1.5GB\n")
                .hasMessage("junction.yaml:9: replicaLag.maxBytes: '1.5GB' is not a size; write e.g. 1048576, 512kB,"
                        + " 16MB or 1GB");
        loading(HEAD + "resilience:\n  circuitBreaker:\n    failureRateThreshold: half\n")
                .hasMessage("junction.yaml:10: resilience.circuitBreaker.failureRateThreshold: 'half' is not a"
                        + " percentage; write e.g. 50 or 50%");
        loading(replica("jdbc:postgresql://db2/app").replace("role: replica", "role: standby"))
                .hasMessage("junction.yaml:10: nodes[1].role: 'standby' is not one of primary, replica");
    }

    @Test
    void valuesOutOfRangeNameTheYamlKeyNotTheJavaField() {
        loading(HEAD + "replicaLag:\n  hysteresis: 150%\n")
                .hasMessage("junction.yaml:9: replicaLag.hysteresis: must be > 0 and <= 1 (a fraction of"
                        + " maxReplicaLag), but was 1.5");
        loading(HEAD + "resilience:\n  circuitBreaker:\n    failureRateThreshold: 150\n")
                .hasMessage("junction.yaml:10: resilience.circuitBreaker.failureRateThreshold: must be > 0 and <= 100"
                        + " (a percentage), but was 150.0");
        loading(HEAD + "monitor:\n  timeout: 500ms\n")
                .hasMessage("junction.yaml:9: monitor.timeout: must be >= 1s, but was 500ms");
        loading(HEAD + "monitor:\n  interval: 10ms\n")
                .hasMessage("junction.yaml:9: monitor.interval: must be >= 50ms, but was 10ms");
    }

    // ---- unknown keys ----

    @Test
    void unknownKeysAreRefusedAtEveryLevel() {
        loading(HEAD + "fallbak: fail\n")
                .hasMessage("junction.yaml:8: fallbak: unknown key; did you mean 'fallback'?");
        loading(HEAD + "resilience:\n  bulkhead:\n    maxWait: 3\n")
                .hasMessage("junction.yaml:10: resilience.bulkhead.maxWait: unknown key; did you mean 'maxWaiting'?");
        loading(HEAD.replace("role: primary", "role: primary\n    weight: 3"))
                .hasMessage("junction.yaml:8: nodes[0].weight: unknown key; known keys here: name, url, role, pooler, directUrl, pool");
    }

    // ---- missing nodes and node fields ----

    @Test
    void anEmptyNodeListIsRefused() {
        loading("credentials:\n  user: app\nnodes: []\n")
                .hasMessage("junction.yaml:3: nodes: no nodes configured; add one node with role primary and any"
                        + " number of replicas");
    }

    @Test
    void replicasWithoutAPrimaryAreRefused() {
        loading("credentials:\n  user: app\nnodes:\n  - name: r1\n    url: jdbc:postgresql://db2/app\n"
                + "    role: replica\n")
                .hasMessage("junction.yaml:3: nodes: no node has role primary (nodes: r1); mark exactly one node"
                        + " 'role: primary'");
    }

    @Test
    void aNodeWithoutNameUrlOrRoleIsRefusedNamingTheMissingField() {
        loading(HEAD + "  - name: replica-1\n    role: replica\n")
                .hasMessage("junction.yaml:8: nodes[1].url: missing");
        loading(HEAD + "  - url: jdbc:postgresql://db2/app\n    role: replica\n")
                .hasMessage("junction.yaml:8: nodes[1].name: missing");
        loading(HEAD + "  - name: replica-1\n    url: jdbc:postgresql://db2/app\n")
                .hasMessage("junction.yaml:8: nodes[1].role: node 'replica-1' has no role while others have one; give every"
                        + " node a role (fixed roles), or none to let the monitor discover the primary");
    }

    // ---- bad durations ----

    @Test
    void malformedDurationsListTheAcceptedForms() {
        String forms = "is not a duration; write e.g. 500ms, 5s, 2m, 1h or PT5S";
        loading(HEAD + "replicaLag:\n  max: -5s\n").hasMessage("junction.yaml:9: replicaLag.max: '-5s' " + forms);
        loading(HEAD + "replicaLag:\n  max: 5 sec\n").hasMessage("junction.yaml:9: replicaLag.max: '5 sec' " + forms);
        loading(HEAD + "monitor:\n  interval: 10 minutes\n")
                .hasMessage("junction.yaml:9: monitor.interval: '10 minutes' " + forms);
        loading(HEAD + "consistency:\n  maxWait: PT\n").hasMessage("junction.yaml:9: consistency.maxWait: 'PT' " + forms);
    }

    @Test
    void anUnknownBadTokenPolicyListsTheThreeThereAre() {
        loading(HEAD + "consistency:\n  invalidToken: primary\n")
                .hasMessage("junction.yaml:9: consistency.invalidToken: 'primary' is not one of strong, eventual, reject");
    }

    @Test
    void durationsBelowTheirMinimumNameTheMinimum() {
        loading(HEAD + "pool:\n  replica:\n    connectionTimeout: 100ms\n")
                .hasMessage("junction.yaml:10: pool.replica.connectionTimeout: must be >= 250ms, but was 100ms");
        loading(HEAD + "pool:\n  replica:\n    idleTimeout: 5s\n")
                .hasMessage("junction.yaml:10: pool.replica.idleTimeout: must be 0 (disabled) or >= 10s, but was 5s");
    }

    // ---- bad URLs ----

    @Test
    void urlsThatAreNotPostgresqlJdbcUrlsAreRefused() {
        String expected = "; expected jdbc:postgresql://host:port/database";
        loading(replica("jdbc:mysql://db2:3306/app")).hasMessage("junction.yaml:9: nodes[1].url:"
                + " 'jdbc:mysql://db2:3306/app' is not a PostgreSQL JDBC URL" + expected);
        loading(replica("postgresql://db2/app")).hasMessage("junction.yaml:9: nodes[1].url: 'postgresql://db2/app'"
                + " is not a PostgreSQL JDBC URL" + expected);
        loading(replica("''")).hasMessage("junction.yaml:9: nodes[1].url: must not be blank, but was ''");
    }

    @Test
    void urlsWithoutADatabaseOrWithABadPortAreRefused() {
        String expected = "; expected jdbc:postgresql://host:port/database";
        loading(replica("jdbc:postgresql://db2:5432/")).hasMessage("junction.yaml:9: nodes[1].url:"
                + " 'jdbc:postgresql://db2:5432/' names no database" + expected);
        loading(replica("jdbc:postgresql://db2")).hasMessage("junction.yaml:9: nodes[1].url: 'jdbc:postgresql://db2'"
                + " names no database" + expected);
        loading(replica("jdbc:postgresql://db2:70000/app")).hasMessage("junction.yaml:9: nodes[1].url:"
                + " 'jdbc:postgresql://db2:70000/app' has port '70000', not a number from 1 to 65535" + expected);
        loading(replica("jdbc:postgresql://db2:54x/app")).hasMessage("junction.yaml:9: nodes[1].url:"
                + " 'jdbc:postgresql://db2:54x/app' has port '54x', not a number from 1 to 65535" + expected);
    }

    @Test
    void aMultiHostUrlIsRefusedBecauseJunctionRoutesItself() {
        loading(replica("jdbc:postgresql://db2,db3/app")).hasMessage("junction.yaml:9: nodes[1].url:"
                + " 'jdbc:postgresql://db2,db3/app' lists several hosts; Junction routes between nodes itself, so"
                + " configure each server as its own node with one host each");
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutEchoingTheParameters() {
        loading(replica("jdbc:postgresql://db2/app?user=admin&password=hunter2"))
                .hasMessage("junction.yaml:9: nodes[1].url: 'jdbc:postgresql://db2/app?...' carries credentials in"
                        + " its parameters; remove user/password from the URL and set credentials.user /"
                        + " credentials.password (or JUNCTION_USER / JUNCTION_PASSWORD)");
    }

    @Test
    void tlsParametersInAUrlAreAccepted() {
        RoutingConfig c = ConfigLoader.parse(replica("jdbc:postgresql://db2/app?sslmode=verify-full"
                + "&sslrootcert=/etc/junction/ca.pem"), "junction.yaml", Map.of());
        assertThat(c.nodes().get(1).jdbcUrl())
                .isEqualTo("jdbc:postgresql://db2/app?sslmode=verify-full&sslrootcert=/etc/junction/ca.pem");
    }

    // ---- duplicate and invalid names ----

    @Test
    void theSameServerUnderTwoNamesIsRefusedComparingHostsCaseInsensitively() {
        loading(replica("jdbc:postgresql://DB1/app")).hasMessage("junction.yaml:9: nodes[1].url, nodes[0].url: nodes"
                + " 'primary' and 'r1' both point at db1:5432/app; the same server is listed twice (remove the"
                + " duplicate or fix its host/port)");
        // Another port on the same host is another server (several clusters on one machine).
        assertThat(ConfigLoader.parse(replica("jdbc:postgresql://db1:5433/app"), "junction.yaml", Map.of()).nodes())
                .hasSize(2);
    }

    @Test
    void aNameReusedByAReplicaIsRefused() {
        loading(HEAD + "  - name: primary\n    url: jdbc:postgresql://db2/app\n    role: replica\n")
                .hasMessage("junction.yaml:8: nodes[1].name, nodes[0].name: node 'primary' is listed twice (nodes[0]"
                        + " and nodes[1]); give every node a unique name or remove the duplicate");
    }

    @Test
    void namesThatCannotNameAPoolAreRefused() {
        String rule = "must be 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit, but was ";
        loading(HEAD + "  - name: replica 1\n    url: jdbc:postgresql://db2/app\n    role: replica\n")
                .hasMessage("junction.yaml:8: nodes[1].name: " + rule + "'replica 1'");
        String tooLong = "r".repeat(64);
        loading(HEAD + "  - name: " + tooLong + "\n    url: jdbc:postgresql://db2/app\n    role: replica\n")
                .hasMessage("junction.yaml:8: nodes[1].name: " + rule + "'" + tooLong + "'");
    }

    // ---- empty files ----

    @Test
    void filesWithoutContentAreReportedAsEmpty() {
        String empty = "junction.yaml:1: the file is empty; it needs at least 'credentials' and 'nodes' (see"
                + " docs/configuration.md)";
        loading("# nothing here yet\n# really\n").hasMessage(empty);
        loading("   \n\n").hasMessage(empty);
        loading("---\n").hasMessage(empty);
        loading("~\n").hasMessage(empty);
    }

    // ---- YAML syntax errors ----

    @Test
    void tabIndentationIsReportedWithItsLine() {
        loading("credentials:\n\tuser: app\n").hasMessage("junction.yaml:2: not valid YAML: found character"
                + " '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) (while scanning for"
                + " the next token); fix the syntax (indent with spaces, 'key: value')");
    }

    @Test
    void anUnclosedQuoteIsReported() {
        loading("credentials:\n  user: \"app\n  password: pw\n").hasMessage("junction.yaml:4: not valid YAML: found"
                + " unexpected end of stream (while scanning a quoted scalar); fix the syntax (indent with spaces,"
                + " 'key: value')");
    }

    @Test
    void aMisindentedKeyIsReportedAtItsLine() {
        loading("credentials:\n  user: app\n   password: pw\n").hasMessage("junction.yaml:3: not valid YAML:"
                + " mapping values are not allowed here; fix the syntax (indent with spaces, 'key: value')");
        loading("credentials\n  user: app\n").hasMessage("junction.yaml:2: not valid YAML: mapping values are not"
                + " allowed here; fix the syntax (indent with spaces, 'key: value')");
    }

    @Test
    void anUnclosedFlowMappingIsReported() {
        loading("nodes: [ {name: p, url: x\n").hasMessage("junction.yaml:2: not valid YAML: expected ',' or '}', but"
                + " got <stream end> (while parsing a flow mapping); fix the syntax (indent with spaces, 'key:"
                + " value')");
    }

    // ---- environment references and several problems at once ----

    @Test
    void aMalformedEnvironmentReferenceShowsTheAcceptedForms() {
        loading(HEAD.replace("password: pw", "password: ${DB PASS}")).hasMessage("junction.yaml:3:"
                + " credentials.password: malformed reference in '${DB PASS}'; write ${NAME} or ${NAME:-default}"
                + " (NAME: letters, digits, underscore), or $${ for a literal ${");
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        loading(HEAD + "selection: fastest\nappInstances: 0\nreplicaLag:\n  max: soon\n")
                .hasMessage("junction.yaml has 3 problems:" + System.lineSeparator()
                        + "  junction.yaml:8: selection: 'fastest' is not one of round-robin, random,"
                        + " least-outstanding" + System.lineSeparator()
                        + "  junction.yaml:11: replicaLag.max: 'soon' is not a duration; write e.g. 500ms, 5s, 2m, 1h"
                        + " or PT5S" + System.lineSeparator()
                        + "  junction.yaml:9: appInstances: must be >= 1, but was 0");
    }
}
