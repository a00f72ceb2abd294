package dev.junction.codegen.internal;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import org.jooq.codegen.JavaGenerator;
import org.jooq.meta.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jOOQ's {@link JavaGenerator}, followed by Junction's {@link GraphGenerator} over the same schema metadata and with
 * the same naming strategy. Named in the generator configuration; jOOQ instantiates it, so it must stay public with
 * a no-argument constructor. Graph classes are written after jOOQ has cleaned its target directory.
 */
public class JunctionJavaGenerator extends JavaGenerator {
    private static final Logger log = LoggerFactory.getLogger(JunctionJavaGenerator.class);

    /** Called by jOOQ's {@code GenerationTool}. */
    public JunctionJavaGenerator() {
    }

    @Override
    public void generate(Database db) {
        super.generate(db);
        List<Path> files = new GraphGenerator(db, getStrategy(), Path.of(getTargetDirectory()),
                Charset.forName(getTargetEncoding())).generate();
        log.debug("wrote {} graph source file(s) under {}", files.size(), getTargetDirectory());
    }
}
