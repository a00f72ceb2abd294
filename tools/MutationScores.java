import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints the mutation score of each mutated class from PIT's {@code mutations.xml} reports, for {@code ./dev
 * mutation}: {@code class  killed/total  score%}. A mutant counts as killed when PIT marks it detected (a test failed,
 * timed out or ran out of memory on it); mutants no test covers count against the score. Exits with 1 when a class
 * scores below the minimum ({@code --min N}, default 85), so the gate the issue set cannot slip silently.
 *
 * <p>Run as a single source file: {@code java tools/MutationScores.java [--min 85] report.xml...}.
 */
public final class MutationScores {

    private MutationScores() {
    }

    public static void main(String[] args) throws Exception {
        int min = 85;
        Map<String, int[]> byClass = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--min")) {
                min = Integer.parseInt(args[++i]);
                continue;
            }
            Path report = Path.of(args[i]);
            if (!Files.isRegularFile(report)) {
                System.err.println("no PIT report at " + report + " (did the mutation run finish?)");
                System.exit(2);
            }
            NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                    .getElementsByTagName("mutation");
            for (int m = 0; m < mutations.getLength(); m++) {
                Element mutation = (Element) mutations.item(m);
                String mutated = mutation.getElementsByTagName("mutatedClass").item(0).getTextContent();
                // Lambdas and nested classes belong to the class they are written in.
                int nested = mutated.indexOf('$');
                String owner = nested < 0 ? mutated : mutated.substring(0, nested);
                int[] counts = byClass.computeIfAbsent(owner, k -> new int[2]);
                if (Boolean.parseBoolean(mutation.getAttribute("detected"))) {
                    counts[0]++;
                }
                counts[1]++;
            }
        }
        int width = byClass.keySet().stream().mapToInt(String::length).max().orElse(5);
        System.out.printf("%-" + width + "s  %9s  %s%n", "class", "killed", "score");
        int killed = 0;
        int total = 0;
        StringBuilder below = new StringBuilder();
        for (Map.Entry<String, int[]> e : byClass.entrySet()) {
            int[] c = e.getValue();
            int score = score(c[0], c[1]);
            System.out.printf("%-" + width + "s  %9s  %d%%%n", e.getKey(), c[0] + "/" + c[1], score);
            killed += c[0];
            total += c[1];
            if (score < min) {
                below.append(below.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(score).append('%');
            }
        }
        System.out.printf("%-" + width + "s  %9s  %d%%%n", "all", killed + "/" + total, score(killed, total));
        if (!below.isEmpty()) {
            System.err.println("below the minimum of " + min + "%: " + below + "; the surviving mutants are in each"
                    + " module's target/pit-reports/index.html");
            System.exit(1);
        }
    }

    /** Rounded down, so 84.9% never shows as 85%. */
    private static int score(int killed, int total) {
        return total == 0 ? 100 : (int) (100L * killed / total);
    }
}
