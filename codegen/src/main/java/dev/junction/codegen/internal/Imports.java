package dev.junction.codegen.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The imports of one generated file: a type is imported when its simple name is free, else written fully qualified.
 * Names declared in the file itself (its class, nested types, same-package classes) and {@code java.lang} names are
 * never shadowed.
 */
final class Imports {
    private static final Set<String> JAVA_LANG = Set.of("Object", "String", "Record", "Override", "Class", "Enum",
            "Integer", "Long", "Boolean", "Deprecated", "SuppressWarnings", "FunctionalInterface", "Iterable",
            "Number", "Character", "Short", "Byte", "Double", "Float", "Void", "Math", "System", "Thread",
            "Exception", "RuntimeException", "Error", "Throwable", "Comparable", "Runnable", "Process", "Module",
            "Package", "StringBuilder", "SafeVarargs");

    private final String packageName;
    private final Set<String> local;
    private final Map<String, String> bySimpleName = new HashMap<>();
    private final Set<String> imports = new TreeSet<>();

    /**
     * @param packageName the file's package
     * @param local simple names declared in the file or its package, which imports must not shadow
     */
    Imports(String packageName, Set<String> local) {
        this.packageName = packageName;
        this.local = Set.copyOf(local);
    }

    /** The name to write for {@code qualifiedName} (a top-level class), importing it when possible. */
    String name(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        String simple = qualifiedName.substring(dot + 1);
        String pkg = dot < 0 ? "" : qualifiedName.substring(0, dot);
        if (pkg.equals(packageName) && local.contains(simple)) {
            return simple;
        }
        String owner = bySimpleName.get(simple);
        if (owner != null) {
            return owner.equals(qualifiedName) ? simple : qualifiedName;
        }
        if (local.contains(simple) || JAVA_LANG.contains(simple)) {
            return qualifiedName;
        }
        bySimpleName.put(simple, qualifiedName);
        if (!pkg.equals(packageName) && !pkg.equals("java.lang")) {
            imports.add(qualifiedName);
        }
        return simple;
    }

    /** The import block, sorted, one statement a line. */
    String block() {
        StringBuilder s = new StringBuilder();
        for (String i : imports) {
            s.append("import ").append(i).append(";\n");
        }
        return s.toString();
    }
}
