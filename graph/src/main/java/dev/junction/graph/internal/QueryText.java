package dev.junction.graph.internal;

import dev.junction.graph.GraphQuery;

/**
 * A graph query as text: with its filter for {@code toString()}, and without it ({@link #shape}) for logs and
 * reports, whose lines must not contain the filter's values.
 */
public final class QueryText {
    private QueryText() {
    }

    /** For example {@code tailor{user, sampleWorks{photos}} where ... limit 20}. */
    public static String describe(GraphQuery<?> query) {
        StringBuilder s = new StringBuilder(query.table().getName());
        appendLinks(query, s);
        if (query.where() != null) {
            s.append(" where ").append(query.where());
        }
        appendLimits(query, s);
        return s.toString();
    }

    /**
     * Like {@link #describe} but without the filter, whose rendering would contain values, for example
     * {@code tailor{user, sampleWorks} limit 20}.
     */
    static String shape(GraphQuery<?> query) {
        StringBuilder s = new StringBuilder(query.table().getName());
        appendLinks(query, s);
        appendLimits(query, s);
        return s.toString();
    }

    private static void appendLimits(GraphQuery<?> query, StringBuilder s) {
        query.limit().ifPresent(limit -> s.append(" limit ").append(limit));
        query.offset().ifPresent(offset -> s.append(" offset ").append(offset));
    }

    private static void appendLinks(GraphQuery<?> query, StringBuilder s) {
        if (query.links().isEmpty()) {
            return;
        }
        s.append('{');
        for (int i = 0; i < query.links().size(); i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(query.links().get(i).relation().name());
            appendLinks(query.links().get(i).query(), s);
        }
        s.append('}');
    }
}
