package dev.junction.routing.internal;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** "Did you mean" for misspelt keys: the closest known key within a small edit distance. */
public final class Suggestions {
    private Suggestions() {
    }

    public static @Nullable String closest(String unknown, Collection<String> known) {
        String u = unknown.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            String c = candidate.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
            int d = distance(u, c);
            // One key a prefix of the other (of 4 characters or more) counts as one edit: maxPool -> maxPoolSize.
            if ((c.startsWith(u) || u.startsWith(c)) && Math.min(u.length(), c.length()) >= 4) {
                d = Math.min(d, 1);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        // Two edits for short keys; longer keys tolerate about one edit in three (maxPoolSize -> maximumPoolSize).
        int allowed = Math.max(2, u.length() * 2 / 5);
        return bestDistance <= allowed ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
