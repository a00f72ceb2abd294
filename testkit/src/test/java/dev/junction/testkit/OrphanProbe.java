package dev.junction.testkit;

/** Started in a child JVM by {@link OrphanIT}: starts a cluster, prints its postmaster pids, then waits forever. */
final class OrphanProbe {
    private OrphanProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgresCluster cluster = EmbeddedPostgresCluster.builder().replicas(1).start();
        StringBuilder line = new StringBuilder("PIDS");
        cluster.nodes().forEach(n -> line.append(' ').append(n.pid().orElseThrow()));
        line.append(" DIR ").append(cluster.baseDirectory());
        System.out.println(line);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
