package it.junction;

/** The application's own type for the document's JSON body: the forced type the generator maps jsonb to. */
public record Body(String json) {
}
