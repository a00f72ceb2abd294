package dev.junction.doctor;

import dev.junction.doctor.DoctorReport.BudgetReport;
import dev.junction.doctor.DoctorReport.ForeignKey;
import dev.junction.doctor.DoctorReport.NodeReport;
import dev.junction.doctor.DoctorReport.NodeStatements;
import dev.junction.doctor.DoctorReport.Session;
import dev.junction.doctor.DoctorReport.TopStatement;
import dev.junction.routing.Diagnostics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The report as JSON, for machines; the field names are documented in {@code docs/doctor.md}. */
final class JsonReport {
    private JsonReport() {
    }

    static String render(DoctorReport r) {
        Map<String, @Nullable Object> root = new LinkedHashMap<>();
        root.put("config", r.source());
        Severity worst = r.worst();
        root.put("status", worst == Severity.CRITICAL ? "critical" : worst == Severity.WARNING ? "warning" : "ok");
        root.put("exitCode", r.exitCode());
        root.put("nodes", r.nodes().stream().map(JsonReport::node).toList());
        root.put("connectionBudget", r.budgets().stream().map(JsonReport::budget).toList());
        root.put("foreignKeysCheckedOn", r.foreignKeysNode());
        root.put("foreignKeysWithoutIndex", r.foreignKeys().stream().map(JsonReport::foreignKey).toList());
        Map<String, @Nullable Object> thresholds = new LinkedHashMap<>();
        thresholds.put("longRunning", Diagnostics.formatDuration(r.longRunning()));
        thresholds.put("idleInTransaction", Diagnostics.formatDuration(r.idleInTransaction()));
        root.put("sessionThresholds", thresholds);
        root.put("sessions", r.sessions().stream().map(JsonReport::session).toList());
        root.put("topStatements", r.statements().stream().map(JsonReport::statements).toList());
        root.put("findings", r.findings().stream().map(f -> {
            Map<String, @Nullable Object> m = new LinkedHashMap<>();
            m.put("severity", f.severity().word());
            m.put("check", f.check());
            m.put("message", f.message());
            return m;
        }).toList());
        return Json.write(root);
    }

    private static Map<String, @Nullable Object> node(NodeReport n) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("name", n.name());
        m.put("configuredRole", n.configuredRole().tag());
        m.put("observedRole", n.observedRole() == null ? null : n.observedRole().tag());
        m.put("reachable", n.reachable());
        m.put("error", n.error());
        m.put("serverVersion", n.serverVersion());
        m.put("lsn", n.lsn());
        m.put("lagBytes", n.lagBytes());
        m.put("lagSeconds", n.lagSeconds());
        m.put("lagSecondsIsLowerBound", n.lagAtLeast());
        m.put("maxConnections", n.reachable() ? n.maxConnections() : null);
        m.put("connections", n.reachable() ? n.connections() : null);
        return m;
    }

    private static Map<String, @Nullable Object> budget(BudgetReport b) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("where", b.where());
        m.put("demand", b.demand());
        m.put("available", b.available());
        m.put("percent", b.percent() < 0 ? null : b.percent());
        m.put("arithmetic", b.arithmetic());
        m.put("severity", b.severity() == null ? "ok" : b.severity().word());
        return m;
    }

    private static Map<String, @Nullable Object> foreignKey(ForeignKey k) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("table", k.table());
        m.put("constraint", k.constraint());
        m.put("columns", k.columns());
        m.put("references", k.references());
        m.put("estimatedRows", k.estimatedRows());
        m.put("fix", k.fix());
        return m;
    }

    private static Map<String, @Nullable Object> session(Session s) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("node", s.node());
        m.put("pid", s.pid());
        m.put("user", s.user());
        m.put("application", s.application());
        m.put("state", s.state());
        m.put("seconds", s.seconds());
        m.put("query", s.query());
        return m;
    }

    private static Map<String, @Nullable Object> statements(NodeStatements n) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("node", n.node());
        m.put("available", n.available());
        m.put("note", n.note());
        List<Map<String, @Nullable Object>> top = n.top().stream().map(JsonReport::statement).toList();
        m.put("statements", top);
        return m;
    }

    private static Map<String, @Nullable Object> statement(TopStatement s) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put("query", s.query());
        m.put("calls", s.calls());
        m.put("totalMillis", s.totalMillis());
        m.put("meanMillis", s.meanMillis());
        m.put("rows", s.rows());
        return m;
    }
}
