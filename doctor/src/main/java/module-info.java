/**
 * Junction's doctor: a command-line check of a deployment described by a {@code junction.yaml}. Exports
 * {@code dev.junction.doctor} (the entry point {@code Doctor}); it uses only the exported API of core and routing.
 */
module dev.junction.doctor {
    requires dev.junction.core;
    requires dev.junction.routing;
    requires org.jspecify;
    requires org.postgresql.jdbc;

    exports dev.junction.doctor;
}
