package dev.junction.samples.bench;

import java.util.Arrays;

/**
 * Entry point of {@code ./dev bench <name> [args]}: {@code round-trips}, {@code two-phase}, {@code commit-token}.
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
            case "graph-fetch" -> dev.junction.samples.graphfetch.GraphFetchBench.main(rest);
            case "load" -> dev.junction.samples.load.LoadBench.main(rest);
            default -> {
                System.out.println("usage: ./dev bench round-trips [rounds]   graph fetch vs list+relations vs N+1");
                System.out.println("       ./dev bench two-phase [units]      primary hold time: prepare/thenWrite vs"
                        + " one transaction");
                System.out.println("       ./dev bench commit-token [n]       cost of the consistency token at commit");
                System.out.println("       ./dev bench graph-fetch [rounds]   graph fetch strategies at 1/20/200 roots,"
                        + " 0 and 1 ms per round trip");
                System.out.println("       ./dev bench load [--help]          sample service, naive, tuned and"
                        + " Junction, 50-1,000 users (--users extended: to 2,000)");
                if (!name.equals("help")) {
                    System.exit(2);
                }
            }
        }
    }
}
