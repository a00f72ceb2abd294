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

/** The load report's three files: the JSON keys of issue 8, the table with its ratios, a well-formed chart. */
class ReportTest {
    private static LoadResult result(String impl, int users, long requests, long errors, double p95) {
        return new LoadResult(impl, users, requests, errors, errors == 0 ? Map.of() : Map.of("timeout", errors), 30,
                (requests - errors) / 30.0, p95 / 3, p95, p95 * 1.5, impl.equals("naive") ? 6.2 : 1.8, 12.5, 3.25,
                7, 3.4, 1.4, 1000, 1, Map.of("search", new double[] {p95 / 4, p95}));
    }

    private final Report report = new Report(List.of(result("naive", 50, 1800, 0, 42), result("junction", 50, 1890, 0,
            38), result("naive", 500, 9000, 90, 2400), result("junction", 500, 15000, 0, 600)), "Machine: test");

    @Test
    void theJsonHasOneEntryPerRunWithTheKeysOfTheIssue() {
        String json = report.json();
        assertThat(json).startsWith("[\n").endsWith("]\n");
        String[] entries = json.substring(2, json.length() - 3).split("},\n");
        assertThat(entries).hasSize(4);
        for (String entry : entries) {
            assertThat(entry).contains("\"impl\": ", "\"users\": ", "\"requests\": ", "\"errors\": ",
                    "\"throughput_rps\": ", "\"p50_ms\": ", "\"p95_ms\": ", "\"p99_ms\": ",
                    "\"round_trips_per_request\": ", "\"pool_wait_ms_per_request\": ",
                    "\"connection_hold_ms_per_request\": ");
        }
        assertThat(entries[2]).contains("\"impl\": \"naive\", \"users\": 500, \"requests\": 9000, \"errors\": 90,",
                "\"error_rate\": 0.010", "\"errors_by_kind\": {\"timeout\": 90}");
    }

    @Test
    void theTableListsNaiveBeforeJunctionPerUserCountAndTheRatiosCompareThem() {
        List<String> rows = report.table().lines().toList();
        assertThat(rows).hasSize(6);
        assertThat(rows.get(2)).startsWith("| naive | 50 | 1800 | 0 | 0.00 |");
        assertThat(rows.get(3)).startsWith("| junction | 50 |");
        assertThat(rows.get(4)).startsWith("| naive | 500 | 9000 | 90 | 1.00 | 297.0 |");
        assertThat(report.ratios()).containsExactly(
                "at 50 users: p95 naive / junction = 1.1x, throughput junction / naive = 1.05x, errors naive 0.00%"
                        + " vs junction 0.00%",
                "at 500 users: p95 naive / junction = 4.0x, throughput junction / naive = 1.68x, errors naive 1.00%"
                        + " vs junction 0.00%");
        assertThat(report.markdown()).contains("Machine: test", "| impl | users |", "| naive | 500 | - | 2400.0 |");
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
        // Two panels, four runs each, plus the background and two legend swatches.
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(2 * 4 + 3);
        assertThat(svg).contains("(1.0% err)");
    }
}
