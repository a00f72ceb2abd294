package dev.junction.doctor;

import dev.junction.doctor.DoctorReport.BudgetReport;
import dev.junction.doctor.DoctorReport.ForeignKey;
import dev.junction.doctor.DoctorReport.NodeReport;
import dev.junction.doctor.DoctorReport.NodeStatements;
import dev.junction.doctor.DoctorReport.Session;
import dev.junction.doctor.DoctorReport.TopStatement;
import dev.junction.routing.Diagnostics;
import java.util.Locale;

/** The report for people: one section per check, then the findings, most severe first. */
final class TextReport {
    private TextReport() {
    }

    static String render(DoctorReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Junction doctor: ").append(r.source()).append(" (").append(r.nodes().size()).append(" nodes)\n");

        section(sb, "Topology and lag");
        int width = r.nodes().stream().mapToInt(n -> n.name().length()).max().orElse(4);
        for (NodeReport n : r.nodes()) {
            sb.append("  ").append(pad(n.name(), width)).append("  ").append(pad(n.configuredRole().tag(), 7));
            if (!n.reachable()) {
                sb.append("  DOWN (").append(n.error()).append(")\n");
                continue;
            }
            sb.append("  up");
            if (n.observedRole() != n.configuredRole()) {
                sb.append(", but is a ").append(n.observedRole() == null ? "?" : n.observedRole().tag());
            }
            sb.append("  PostgreSQL ").append(n.serverVersion()).append("  LSN ").append(n.lsn());
            sb.append("  connections ").append(n.connections()).append('/').append(n.maxConnections());
            if (n.lagBytes() != null) {
                sb.append("  lag ").append(n.lagBytes()).append(" bytes");
                if (n.lagSeconds() != null) {
                    sb.append(", ").append(n.lagAtLeast() ? "more than " : "").append(Inspector.format(n.lagSeconds()))
                            .append(" s");
                }
            }
            sb.append('\n');
        }

        section(sb, "Connection budget: (pools + monitor) x app instances against max_connections less reserves");
        if (r.budgets().isEmpty()) {
            sb.append("  no server answered\n");
        }
        for (BudgetReport b : r.budgets()) {
            sb.append("  ").append(b.where()).append(": ").append(b.arithmetic()).append("\n    ")
                    .append(b.percent() < 0 ? "nothing left for the pools" : b.percent() + "% used").append("  ")
                    .append(b.severity() == null ? "ok" : b.severity().name()).append('\n');
        }

        section(sb, "Foreign keys without a supporting index" + (r.foreignKeysNode() == null ? ""
                : " (catalog of node '" + r.foreignKeysNode() + "')"));
        if (r.foreignKeysNode() == null) {
            sb.append("  not checked: no node answered\n");
        } else if (r.foreignKeys().isEmpty()) {
            sb.append("  none\n");
        }
        for (ForeignKey k : r.foreignKeys()) {
            sb.append("  ").append(k.table()).append(" (").append(String.join(", ", k.columns())).append(") -> ")
                    .append(k.references()).append("  ").append(k.constraint()).append(", ")
                    .append(k.estimatedRows() == null ? "rows unknown" : "about " + k.estimatedRows() + " rows")
                    .append("\n    fix: ").append(k.fix()).append('\n');
        }

        section(sb, "Sessions running a statement for " + Diagnostics.formatDuration(r.longRunning())
                + " or more, or idle in a transaction for " + Diagnostics.formatDuration(r.idleInTransaction()) + " or more");
        if (r.sessions().isEmpty()) {
            sb.append("  none\n");
        }
        for (Session s : r.sessions()) {
            sb.append("  ").append(s.node()).append("  pid ").append(s.pid()).append("  ").append(s.user())
                    .append("  '").append(s.application()).append("'  ").append(s.state()).append(" for ")
                    .append(Inspector.format(s.seconds())).append(" s\n    ").append(s.query()).append('\n');
        }

        section(sb, "Top statements by total time (pg_stat_statements)");
        for (NodeStatements n : r.statements()) {
            if (!n.available()) {
                sb.append("  ").append(n.node()).append(": not available: ").append(n.note()).append('\n');
                continue;
            }
            sb.append("  ").append(n.node()).append(n.top().isEmpty() ? ": no statements recorded yet" : "")
                    .append('\n');
            for (TopStatement s : n.top()) {
                sb.append(String.format(Locale.ROOT, "    %10.1f ms total  %8d calls  %8.2f ms mean  %8d rows  ",
                        s.totalMillis(), s.calls(), s.meanMillis(), s.rows())).append(s.query()).append('\n');
            }
        }

        section(sb, "Findings: " + r.count(Severity.CRITICAL) + " critical, " + r.count(Severity.WARNING)
                + " warning(s), " + r.count(Severity.INFO) + " note(s)");
        for (Finding f : r.findings()) {
            sb.append("  ").append(pad(f.severity().name(), 8)).append(' ').append(f.message()).append('\n');
        }
        sb.append('\n').append(r.exitCode() == Doctor.OK
                ? "No critical findings (exit code 0)."
                : "Critical findings: exit code " + r.exitCode() + ".").append('\n');
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title) {
        sb.append('\n').append(title).append('\n');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
