package dev.junction.internal.sql;

/**
 * A small, allocation-free tokenizer for PostgreSQL SQL text: enough to find keywords outside string literals,
 * quoted identifiers, dollar-quoted strings and comments. Not a parser. Not thread-safe; one instance per scan.
 */
final class SqlLexer {

    enum Type {
        WORD, QUOTED_IDENTIFIER, STRING, NUMBER, PARAMETER, PUNCTUATION, COMMENT, WHITESPACE, END
    }

    private final String sql;
    private int pos;
    private int start;
    private Type type = Type.END;

    SqlLexer(String sql) {
        this.sql = sql;
    }

    /** Advances to the next token, including whitespace and comments. */
    Type nextRaw() {
        start = pos;
        int n = sql.length();
        if (pos >= n) {
            return type = Type.END;
        }
        char c = sql.charAt(pos);
        if (Character.isWhitespace(c)) {
            while (pos < n && Character.isWhitespace(sql.charAt(pos))) {
                pos++;
            }
            return type = Type.WHITESPACE;
        }
        if (c == '-' && pos + 1 < n && sql.charAt(pos + 1) == '-') {
            while (pos < n && sql.charAt(pos) != '\n') {
                pos++;
            }
            return type = Type.COMMENT;
        }
        if (c == '/' && pos + 1 < n && sql.charAt(pos + 1) == '*') {
            skipBlockComment();
            return type = Type.COMMENT;
        }
        if (c == '\'') {
            skipQuoted('\'', false);
            return type = Type.STRING;
        }
        if (c == '"') {
            skipQuoted('"', false);
            return type = Type.QUOTED_IDENTIFIER;
        }
        if (c == '$') {
            return type = dollar();
        }
        if (c == '?') {
            pos++;
            return type = Type.PARAMETER;
        }
        if (isDigit(c) || (c == '.' && pos + 1 < n && isDigit(sql.charAt(pos + 1)))) {
            skipNumber();
            return type = Type.NUMBER;
        }
        if (isIdentifierStart(c)) {
            while (pos < n && isIdentifierPart(sql.charAt(pos))) {
                pos++;
            }
            // Prefixed string constants: E'..', B'..', X'..', N'..', U&'..'
            if (pos < n && sql.charAt(pos) == '\'' && pos - start == 1) {
                char p = Character.toUpperCase(c);
                if (p == 'E' || p == 'B' || p == 'X' || p == 'N') {
                    skipQuoted('\'', p == 'E');
                    return type = Type.STRING;
                }
            }
            if (pos - start == 1 && (c == 'u' || c == 'U') && pos + 1 < n && sql.charAt(pos) == '&'
                    && (sql.charAt(pos + 1) == '\'' || sql.charAt(pos + 1) == '"')) {
                char q = sql.charAt(pos + 1);
                pos++;
                skipQuoted(q, false);
                return type = q == '\'' ? Type.STRING : Type.QUOTED_IDENTIFIER;
            }
            return type = Type.WORD;
        }
        pos++;
        return type = Type.PUNCTUATION;
    }

    /** Advances to the next significant token (skipping whitespace and comments). */
    Type next() {
        Type t;
        do {
            t = nextRaw();
        } while (t == Type.WHITESPACE || t == Type.COMMENT);
        return t;
    }

    Type type() {
        return type;
    }

    int start() {
        return start;
    }

    int end() {
        return pos;
    }

    /** Current position, to {@link #reset(int)} after a look-ahead. */
    int mark() {
        return pos;
    }

    void reset(int mark) {
        pos = mark;
        start = mark;
        type = Type.END;
    }

    /** True when the current token is the word {@code upperCaseWord} (compared case-insensitively). */
    boolean isWord(String upperCaseWord) {
        return type == Type.WORD && pos - start == upperCaseWord.length()
                && sql.regionMatches(true, start, upperCaseWord, 0, upperCaseWord.length());
    }

    boolean isPunctuation(char c) {
        return type == Type.PUNCTUATION && sql.charAt(start) == c;
    }

    /** The text being scanned. */
    String source() {
        return sql;
    }

    /** The current token's text (allocates; for messages and tests only). */
    String text() {
        return sql.substring(start, pos);
    }

    private Type dollar() {
        int n = sql.length();
        int i = pos + 1;
        if (i < n && isDigit(sql.charAt(i))) {
            while (i < n && isDigit(sql.charAt(i))) {
                i++;
            }
            pos = i;
            return Type.PARAMETER;
        }
        while (i < n && isIdentifierPart(sql.charAt(i)) && sql.charAt(i) != '$') {
            i++;
        }
        if (i < n && sql.charAt(i) == '$') {
            String tag = sql.substring(pos, i + 1);
            int close = sql.indexOf(tag, i + 1);
            pos = close < 0 ? n : close + tag.length();
            return Type.STRING;
        }
        pos++;
        return Type.PUNCTUATION;
    }

    private void skipQuoted(char quote, boolean backslashEscapes) {
        int n = sql.length();
        pos++; // opening quote
        while (pos < n) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\') {
                pos += 2;
                continue;
            }
            pos++;
            if (c == quote) {
                if (pos < n && sql.charAt(pos) == quote) {
                    pos++; // doubled quote
                    continue;
                }
                return;
            }
        }
        pos = n;
    }

    private void skipBlockComment() {
        int n = sql.length();
        int depth = 0;
        while (pos < n) {
            if (sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
    }

    private void skipNumber() {
        int n = sql.length();
        while (pos < n) {
            char c = sql.charAt(pos);
            if (isDigit(c) || c == '.' || c == '_') {
                pos++;
            } else if ((c == 'e' || c == 'E') && pos + 1 < n) {
                char d = sql.charAt(pos + 1);
                if (isDigit(d)) {
                    pos++;
                } else if ((d == '+' || d == '-') && pos + 2 < n && isDigit(sql.charAt(pos + 2))) {
                    pos += 2;
                } else {
                    return;
                }
            } else if (Character.isLetter(c)) {
                // hex/octal/binary literals such as 0x1F, or a malformed token: consume as part of the number
                pos++;
            } else {
                return;
            }
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c > 127 && Character.isLetter(c));
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '$';
    }
}
