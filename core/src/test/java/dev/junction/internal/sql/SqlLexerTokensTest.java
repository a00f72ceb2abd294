package dev.junction.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lexer's tokens and their exact extent: the classifier, the shapes and the table names all rely on a string,
 * comment or quoted name never ending early (a keyword inside would count) nor late (a keyword after it would be
 * missed), and on the lexer never reading past the end of the text.
 */
class SqlLexerTokensTest {

    /** Every token with its text, whitespace included, as {@code TYPE:text}. */
    private static List<String> tokens(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        List<String> tokens = new ArrayList<>();
        for (SqlLexer.Type t = lexer.nextRaw(); t != SqlLexer.Type.END; t = lexer.nextRaw()) {
            tokens.add(t + ":" + lexer.text());
        }
        assertThat(lexer.end()).as("the scan stops at the end of the text").isEqualTo(sql.length());
        return tokens;
    }

    @Test
    void aLoneDashOrSlashAtTheEndIsPunctuationNotTheStartOfAComment() {
        assertThat(tokens("1-")).containsExactly("NUMBER:1", "PUNCTUATION:-");
        assertThat(tokens("1/")).containsExactly("NUMBER:1", "PUNCTUATION:/");
        assertThat(tokens("a-b/c")).containsExactly("WORD:a", "PUNCTUATION:-", "WORD:b", "PUNCTUATION:/", "WORD:c");
    }

    @Test
    void commentsRunToTheEndOfTheLineOrTheMatchingCloseEvenWhenNested() {
        assertThat(tokens("a -- x\nb")).containsExactly("WORD:a", "WHITESPACE: ", "COMMENT:-- x", "WHITESPACE:\n",
                "WORD:b");
        assertThat(tokens("a/* x /* y */ z */b")).containsExactly("WORD:a", "COMMENT:/* x /* y */ z */", "WORD:b");
        assertThat(tokens("a /* never closed")).containsExactly("WORD:a", "WHITESPACE: ",
                "COMMENT:/* never closed");
    }

    @Test
    void aLeadingDotStartsANumberOnlyWhenADigitFollows() {
        assertThat(tokens(".5")).containsExactly("NUMBER:.5");
        assertThat(tokens("t.c")).containsExactly("WORD:t", "PUNCTUATION:.", "WORD:c");
        assertThat(tokens("t.")).containsExactly("WORD:t", "PUNCTUATION:.");
    }

    @Test
    void numbersTakeTheirExponentOnlyWhenDigitsFollowIt() {
        assertThat(tokens("2e3")).containsExactly("NUMBER:2e3");
        assertThat(tokens("1.5E-3")).containsExactly("NUMBER:1.5E-3");
        assertThat(tokens("4e+2")).containsExactly("NUMBER:4e+2");
        assertThat(tokens("1_000.25")).containsExactly("NUMBER:1_000.25");
        assertThat(tokens("0x1F")).containsExactly("NUMBER:0x1F");
        assertThat(tokens("1e-")).containsExactly("NUMBER:1", "WORD:e", "PUNCTUATION:-");
        assertThat(tokens("1e+x")).containsExactly("NUMBER:1", "WORD:e", "PUNCTUATION:+", "WORD:x");
        assertThat(tokens("1e")).as("a trailing letter stays with the number").containsExactly("NUMBER:1e");
        assertThat(tokens("3-1")).containsExactly("NUMBER:3", "PUNCTUATION:-", "NUMBER:1");
    }

    @Test
    void prefixedStringConstantsAreStringsWithTheirPrefix() {
        assertThat(tokens("B'101'")).containsExactly("STRING:B'101'");
        assertThat(tokens("x'1F'")).containsExactly("STRING:x'1F'");
        assertThat(tokens("N'name'")).containsExactly("STRING:N'name'");
        assertThat(tokens("e'it\\'s'")).as("E strings take backslash escapes").containsExactly("STRING:e'it\\'s'");
        assertThat(tokens("'it\\'s'")).as("standard strings do not").containsExactly("STRING:'it\\'", "WORD:s",
                "STRING:'");
        assertThat(tokens("q'x'")).as("no other prefix").containsExactly("WORD:q", "STRING:'x'");
        assertThat(tokens("ab'x'")).containsExactly("WORD:ab", "STRING:'x'");
    }

    @Test
    void unicodeEscapeStringsAndIdentifiersIncludeTheirPrefix() {
        assertThat(tokens("U&'d\\0061t'")).containsExactly("STRING:U&'d\\0061t'");
        assertThat(tokens("u&\"c\"")).containsExactly("QUOTED_IDENTIFIER:u&\"c\"");
        assertThat(tokens("U&x")).containsExactly("WORD:U", "PUNCTUATION:&", "WORD:x");
        assertThat(tokens("U&")).containsExactly("WORD:U", "PUNCTUATION:&");
        assertThat(tokens("ua&'x'")).containsExactly("WORD:ua", "PUNCTUATION:&", "STRING:'x'");
    }

    @Test
    void quotesEndAtTheirMatchAndDoubledQuotesStayInside() {
        assertThat(tokens("'a''b' c")).containsExactly("STRING:'a''b'", "WHITESPACE: ", "WORD:c");
        assertThat(tokens("\"a\"\"b\".c")).containsExactly("QUOTED_IDENTIFIER:\"a\"\"b\"", "PUNCTUATION:.",
                "WORD:c");
        assertThat(tokens("'never closed")).containsExactly("STRING:'never closed");
    }

    @Test
    void dollarSignsArePositionalParametersDollarQuotesOrPunctuation() {
        assertThat(tokens("$12")).containsExactly("PARAMETER:$12");
        assertThat(tokens("$1,$2")).containsExactly("PARAMETER:$1", "PUNCTUATION:,", "PARAMETER:$2");
        assertThat(tokens("$$a$$ b")).containsExactly("STRING:$$a$$", "WHITESPACE: ", "WORD:b");
        assertThat(tokens("$fn$ $x$ $fn$")).containsExactly("STRING:$fn$ $x$ $fn$");
        assertThat(tokens("$tag$ never closed")).containsExactly("STRING:$tag$ never closed");
        assertThat(tokens("$")).containsExactly("PUNCTUATION:$");
        assertThat(tokens("$abc")).as("no closing $ for a tag").containsExactly("PUNCTUATION:$", "WORD:abc");
        assertThat(tokens("$a b$")).containsExactly("PUNCTUATION:$", "WORD:a", "WHITESPACE: ", "WORD:b$");
        assertThat(tokens("?")).containsExactly("PARAMETER:?");
    }

    @Test
    void identifiersStartWithALetterOrUnderscoreAndMayHoldDigitsAndDollars() {
        assertThat(tokens("a z A Z _x"))
                .containsExactly("WORD:a", "WHITESPACE: ", "WORD:z", "WHITESPACE: ", "WORD:A", "WHITESPACE: ",
                        "WORD:Z", "WHITESPACE: ", "WORD:_x");
        assertThat(tokens("t1$x")).containsExactly("WORD:t1$x");
        assertThat(tokens("prénom")).containsExactly("WORD:prénom");
        assertThat(tokens("éa")).as("a non-ASCII letter starts one").containsExactly("WORD:éa");
        assertThat(tokens("@`{[")).containsExactly("PUNCTUATION:@", "PUNCTUATION:`", "PUNCTUATION:{",
                "PUNCTUATION:[");
        assertThat(tokens("\u00d7a")).as("a non-ASCII symbol does not").containsExactly("PUNCTUATION:\u00d7",
                "WORD:a");
    }

    @Test
    void isWordComparesTheWholeTokenIgnoringCase() {
        SqlLexer lexer = new SqlLexer("Selected select 'select'");
        lexer.next();
        assertThat(lexer.isWord("SELECT")).as("a longer word").isFalse();
        lexer.next();
        assertThat(lexer.isWord("SELECT")).isTrue();
        lexer.next();
        assertThat(lexer.type()).isEqualTo(SqlLexer.Type.STRING);
        assertThat(lexer.isWord("SELECT")).as("a string holding the word").isFalse();
    }
}
