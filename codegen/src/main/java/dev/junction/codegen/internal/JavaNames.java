package dev.junction.codegen.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Java identifiers from SQL names: camel case, English singular/plural heuristics, keyword escaping. */
final class JavaNames {
    /** Java keywords and literals, plus names a record component or nested type of a graph class must not take. */
    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "non-sealed", "when", "_",
            // methods of Object and Record that a no-argument record accessor would clash with
            "getClass", "hashCode", "toString", "clone", "finalize", "notify", "notifyAll", "wait");

    private JavaNames() {
    }

    /** The words of a SQL name: split on anything that is not a letter or digit, and on camelCase humps. */
    static List<String> words(String sqlName) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < sqlName.length(); i++) {
            char c = sqlName.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                flush(word, words);
            } else {
                if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(sqlName.charAt(i - 1))) {
                    flush(word, words);
                }
                word.append(Character.toLowerCase(c));
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** {@code sample_work} -> {@code sampleWork}; never empty, never a keyword (suffix {@code _}). */
    static String lowerCamel(List<String> words) {
        StringBuilder s = new StringBuilder();
        for (String w : words) {
            s.append(s.isEmpty() ? w : capitalize(w));
        }
        String name = s.isEmpty() ? "relation" : s.toString();
        if (!Character.isJavaIdentifierStart(name.charAt(0))) {
            name = "_" + name;
        }
        return RESERVED.contains(name) ? name + "_" : name;
    }

    /** {@code sampleWorks} -> {@code SAMPLE_WORKS}. */
    static String constant(String lowerCamel) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lowerCamel.length(); i++) {
            char c = lowerCamel.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && lowerCamel.charAt(i - 1) != '_') {
                s.append('_');
            }
            s.append(Character.toUpperCase(c));
        }
        String name = s.toString();
        while (name.endsWith("_") && name.length() > 1) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    /** The words with the last one made singular: {@code [sample, works]} -> {@code [sample, work]}. */
    static List<String> singular(List<String> words) {
        return replaceLast(words, singular(last(words)));
    }

    /** The words with the last one made plural: {@code [sample, work]} -> {@code [sample, works]}. */
    static List<String> plural(List<String> words) {
        return replaceLast(words, plural(last(words)));
    }

    static String singular(String w) {
        if (w.length() > 3 && w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        for (String suffix : List.of("sses", "xes", "ches", "shes", "zes")) {
            if (w.endsWith(suffix) && w.length() > suffix.length()) {
                return w.substring(0, w.length() - 2);
            }
        }
        if (w.length() > 1 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    static String plural(String w) {
        if (w.isEmpty() || !singular(w).equals(w)) {
            return w;
        }
        if (w.length() > 1 && w.endsWith("y") && "aeiou".indexOf(w.charAt(w.length() - 2)) < 0) {
            return w.substring(0, w.length() - 1) + "ies";
        }
        if (w.endsWith("s") || w.endsWith("x") || w.endsWith("z") || w.endsWith("ch") || w.endsWith("sh")) {
            return w + "es";
        }
        return w + "s";
    }

    private static String last(List<String> words) {
        return words.isEmpty() ? "" : words.get(words.size() - 1);
    }

    private static List<String> replaceLast(List<String> words, String last) {
        if (words.isEmpty()) {
            return List.of();
        }
        List<String> copy = new ArrayList<>(words);
        copy.set(copy.size() - 1, last);
        return copy;
    }

    /** {@code [created, by]} + {@code [user]} -> {@code [created, by, user]}. */
    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
