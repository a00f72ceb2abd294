package dev.junction.samples.bench;

import dev.junction.samples.graphfetch.GraphFetchBench;
import dev.junction.samples.load.LoadBench;
import java.util.Arrays;

/**
 * Entry point of {@code ./dev bench <name> [args]}: {@code round-trips}, {@code two-phase}, {@code commit-token},
 * {@code graph-fetch}, {@code load}, {@code per-call}.
 * Every benchmark starts its own embedded cluster and reports ratios against a baseline measured in the same run.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].contains(" ")) {
            args = args[0].trim().split("\\s+"); // Maven passes "<name> [args]" as one argument
        }
        String name = args.length == 0 ? "help" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (name) {
            case "round-trips" -> RoundTripBench.main(rest);
            case "two-phase" -> TwoPhaseBench.main(rest);
            case "commit-token" -> CommitTokenBench.main(rest);
            case "graph-fetch" -> GraphFetchBench.main(rest);
            case "load" -> LoadBench.main(rest);
            case "per-call" -> PerCallBench.main(rest);
            default -> {
                System.out.println("usage: ./dev bench round-trips [rounds]   graph fetch vs list+relations vs N+1");
                System.out.println("       ./dev bench two-phase [units]      primary hold time: prepare/thenWrite vs"
                        + " one transaction");
                System.out.println("       ./dev bench commit-token [n]       cost of the consistency token at commit");
                System.out.println("       ./dev bench graph-fetch [rounds] [generated]   graph fetch strategies at"
                        + " 1/20/200 roots, 0 and 1 ms per round trip (generated: the generated fetch only)");
                System.out.println("       ./dev bench per-call [--rounds 6] [--seconds 1] [--long]   plain HikariCP"
                        + " + jOOQ vs Junction reads and writes at 1/16/64 callers, pools of 8");
                System.out.println("       ./dev bench load [--help]          sample service, naive, tuned and"
                        + " Junction, 50-1,000 users (--users extended: to 2,000)");
                if (!name.equals("help")) {
                    System.exit(2);
                }
            }
        }
    }
}
