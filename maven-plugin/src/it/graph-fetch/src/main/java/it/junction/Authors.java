package it.junction;

import static it.junction.db.Tables.AUTHOR;
import static it.junction.db.Tables.DOCUMENT;

import it.junction.db.graphs.AuthorGraph;
import it.junction.db.graphs.DocumentGraph;
import java.util.List;
import org.jooq.DSLContext;

/** Application code over the generated graph fetchers: authors with their documents, in one fetch. */
public final class Authors {
    private Authors() {
    }

    public static List<AuthorGraph.Node> withDocuments(DSLContext ctx) {
        return AuthorGraph.query()
                .withDocuments(DocumentGraph.query().orderBy(DOCUMENT.ID))
                .orderBy(AUTHOR.ID)
                .fetch(ctx);
    }
}
