package dev.junction.samples.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The load report's three files: the JSON keys of issues 8 and 23, the tables with their ratios to Junction, a
 * well-formed chart.
 */
class ReportTest {
    private static LoadResult result(String impl, int users, long requests, long errors, double p95) {
        return new LoadResult(impl, users, requests, errors, errors == 0 ? Map.of() : Map.of("timeout", errors), 30,
                (requests - errors) / 30.0, p95 / 3, p95, p95 * 1.5, impl.equals("naive") ? 6.2 : 1.8, 12.5, 3.25,
                7, impl.equals("junction") ? 4 : 0, impl.equals("junction") ? 11 : 0, 3.4, 1.4, 1000, 1,
                Map.of("search", new LoadResult.Endpoint(requests / 3, 0, p95 / 4, p95, p95 * 2)));
    }

    // In run order: the report orders naive, tuned, junction whatever order they ran in.
    private final Report report = new Report(List.of(result("junction", 50, 1890, 0, 38), result("naive", 50, 1800,
            0, 42), result("tuned", 50, 1880, 0, 40), result("tuned", 500, 14000, 0, 700), result("naive", 500, 9000,
            90, 2400), result("junction", 500, 15000, 0, 600)), "Machine: test");

    @Test
    void theJsonHasOneEntryPerRunWithTheKeysOfTheIssue() {
        String json = report.json();
        assertThat(json).startsWith("[\n").endsWith("]\n");
        String[] entries = json.substring(2, json.length() - 3).split("},\n");
        assertThat(entries).hasSize(6);
        for (String entry : entries) {
            assertThat(entry).contains("\"impl\": ", "\"users\": ", "\"requests\": ", "\"errors\": ",
                    "\"throughput_rps\": ", "\"p50_ms\": ", "\"p95_ms\": ", "\"p99_ms\": ",
                    "\"round_trips_per_request\": ", "\"pool_wait_ms_per_request\": ",
                    "\"connection_hold_ms_per_request\": ", "\"sheds\": ", "\"spills\": ", "\"by_endpoint\": ");
        }
        assertThat(entries[4]).contains("\"impl\": \"naive\", \"users\": 500, \"requests\": 9000, \"errors\": 90,",
                "\"error_rate\": 0.010", "\"errors_by_kind\": {\"timeout\": 90}", "\"sheds\": 0, \"spills\": 0",
                "\"search\": {\"requests\": 3000, \"errors\": 0, \"p50_ms\": 600.000, \"p95_ms\": 2400.000,"
                        + " \"p99_ms\": 4800.000}");
        assertThat(entries[5]).contains("\"impl\": \"junction\"", "\"sheds\": 4, \"spills\": 11");
    }

    @Test
    void theTableListsNaiveTunedThenJunctionPerUserCountAndTheRatiosCompareThemToJunction() {
        List<String> rows = report.table().lines().toList();
        assertThat(rows).hasSize(8);
        assertThat(rows.get(0)).contains("| pool wait ms/req | conn. hold ms/req | sheds | spills |");
        assertThat(rows.get(2)).startsWith("| naive | 50 | 1800 | 0 | 0.00 |");
        assertThat(rows.get(3)).startsWith("| tuned | 50 |");
        assertThat(rows.get(4)).startsWith("| junction | 50 |").endsWith("| 3.3 | 12.5 | 4 | 11 | 3.4 |");
        assertThat(rows.get(5)).startsWith("| naive | 500 | 9000 | 90 | 1.00 | 297.0 |");
        assertThat(report.ratios()).containsExactly(
                "at 50 users: p95 naive / junction = 1.1x, tuned / junction = 1.1x; throughput junction / naive ="
                        + " 1.05x, junction / tuned = 1.01x; errors naive 0.00% (0 stale), tuned 0.00% (0 stale),"
                        + " junction 0.00% (0 stale)",
                "at 500 users: p95 naive / junction = 4.0x, tuned / junction = 1.2x; throughput junction / naive ="
                        + " 1.68x, junction / tuned = 1.07x; errors naive 1.00% (0 stale), tuned 0.00% (0 stale),"
                        + " junction 0.00% (0 stale)");
        assertThat(report.markdown()).contains("Machine: test", "| impl | users |",
                "| naive | 500 | - | 600.0 / 2400.0 / 4800.0 |");
    }

    @Test
    void theChartIsWellFormedSvgWithABarPerRun(@TempDir Path dir) throws Exception {
        report.write(dir);
        assertThat(dir.resolve("report.json")).exists();
        assertThat(dir.resolve("report.md")).exists();
        String svg = Files.readString(dir.resolve("report.svg"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        // Two panels, six runs each, plus the background and three legend swatches.
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(2 * 6 + 4);
        assertThat(svg).contains("(1.0% err)");
    }
}
