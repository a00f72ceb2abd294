package dev.junction.samples.service;

import dev.junction.samples.service.Directory.GroupPage;
import dev.junction.samples.service.Directory.GroupRole;
import dev.junction.samples.service.Directory.Member;
import dev.junction.samples.service.Directory.Profile;
import dev.junction.samples.service.Directory.SearchHit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The service's JSON, written by hand (the JDK has no JSON library); strings are always escaped. */
final class Json {
    private Json() {
    }

    static String id(long id) {
        return "{\"id\":" + id + "}";
    }

    static String error(String message) {
        return "{\"error\":" + string(message) + "}";
    }

    static String profile(Profile p) {
        return "{\"id\":" + p.id() + ",\"email\":" + string(p.email()) + ",\"name\":" + string(p.displayName())
                + ",\"country\":" + string(p.country()) + ",\"language\":" + string(p.language()) + ",\"city\":"
                + string(p.city()) + ",\"bio\":" + string(p.bio()) + "}";
    }

    static String page(GroupPage g) {
        StringBuilder s = new StringBuilder(256 + 96 * g.members().size());
        s.append("{\"id\":").append(g.id()).append(",\"name\":").append(string(g.name())).append(",\"city\":")
                .append(string(g.city())).append(",\"country\":").append(string(g.country()))
                .append(",\"memberCount\":").append(g.memberCount()).append(",\"members\":[");
        List<Member> members = g.members();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            s.append(i == 0 ? "" : ",").append("{\"userId\":").append(m.userId()).append(",\"name\":")
                    .append(string(m.displayName())).append(",\"role\":").append(string(m.role()))
                    .append(",\"status\":").append(string(m.status())).append('}');
        }
        return s.append("]}").toString();
    }

    static String hits(List<SearchHit> hits) {
        StringBuilder s = new StringBuilder(64 + 160 * hits.size()).append('[');
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            s.append(i == 0 ? "" : ",").append("{\"id\":").append(h.id()).append(",\"name\":")
                    .append(string(h.displayName())).append(",\"city\":").append(string(h.city()))
                    .append(",\"country\":").append(string(h.country())).append(",\"groups\":[");
            for (int j = 0; j < h.groups().size(); j++) {
                GroupRole g = h.groups().get(j);
                s.append(j == 0 ? "" : ",").append("{\"id\":").append(g.groupId()).append(",\"name\":")
                        .append(string(g.groupName())).append(",\"role\":").append(string(g.role())).append('}');
            }
            s.append("]}");
        }
        return s.append(']').toString();
    }

    static String string(@Nullable String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        s.append(String.format("\\u%04x", (int) c)); // also keeps HTML out of a sniffing browser
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
