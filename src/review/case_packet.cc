#include "caselink/case_packet.h"

#include <cstdio>

#include "caselink/markup.h"

namespace caselink {
namespace {

using Json = nlohmann::ordered_json;

std::string Str(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const Json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

std::string Num(const Json& j, const char* key, const char* format = "%.3f") {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, j[key].get<double>());
  return buf;
}

// <tr><td>…</td>…</tr> of escaped cells.
std::string Row(std::initializer_list<std::string> cells, const char* tag = "td") {
  std::string out = "<tr>";
  for (const std::string& c : cells) out += std::string("<") + tag + ">" + MarkupEscape(c) + "</" + tag + ">";
  return out + "</tr>\n";
}

}  // namespace

std::string CasePacketHtml(const Json& packet) {
  const Json& row = packet.contains("case") ? packet["case"] : Json::object();
  const std::string name = Str(row, "name");
  std::string h;
  h +=
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Case packet: " + MarkupEscape(name) +
      "</title>\n<style>body{font-family:serif;max-width:60em;margin:2em auto;color:#000}table{border-collapse:"
      "collapse;width:100%}th,td{border:1px solid #555;padding:2px 6px;text-align:left;vertical-align:top;"
      "font-size:0.9em}h2{border-bottom:1px solid #000;margin-top:1.5em}.meta{font-size:0.85em}</style></head><body>\n";
  h += "<h1>Case packet: " + MarkupEscape(name) + "</h1>\n";
  h += "<p class=\"meta\">Entity " + MarkupEscape(Str(row, "entity_id")) + ". Produced by " +
       MarkupEscape(Str(packet, "produced_by")) + " at " + MarkupEscape(Str(packet, "produced_at")) +
       " under clearance " + MarkupEscape(Str(packet, "clearance")) +
       ". A ranking for review by a trained analyst, not a finding about this person.</p>\n";
  h += "<h2>Ranking</h2>\n<p>Rank " + MarkupEscape(Str(row, "rank")) + ", score " + Num(row, "score") +
       " (strongest path " + Num(row, "path") + ", lines " + Num(row, "lines") + ", walk " + Num(row, "walk", "%.2f") +
       "). Review status: " + MarkupEscape(Str(row, "status").empty() ? "new" : Str(row, "status")) +
       (Str(row, "assignee").empty() ? "" : ", assigned to " + MarkupEscape(Str(row, "assignee"))) + ".</p>\n";
  if (!Str(row, "weak").empty()) h += "<p>Weak: " + MarkupEscape(Str(row, "weak")) + "</p>\n";
  h += "<h2>Lines of evidence</h2>\n<ol>\n";
  if (row.contains("evidence")) {
    for (const Json& e : row["evidence"]) {
      std::string records;
      for (const Json& r : e["record_ids"]) records += (records.empty() ? "" : ", ") + r.get<std::string>();
      h += "<li>" + MarkupEscape(Str(e, "text")) + " <i>(records: " + MarkupEscape(records) + ")</i></li>\n";
    }
  }
  h += "</ol>\n";
  if (packet.contains("entity") && packet["entity"].contains("records")) {
    h += "<h2>Records</h2>\n<table>\n" +
         Row({"record", "schema", "source", "grade", "markings", "values", "why it belongs"}, "th");
    for (const Json& r : packet["entity"]["records"]) {
      std::string markings, values;
      for (const Json& m : r["markings"]) markings += (markings.empty() ? "" : ", ") + m.get<std::string>();
      for (const Json& v : r["values"])
        values += (values.empty() ? "" : "; ") + Str(v, "property") + ": " + Str(v, "value");
      h += Row({Str(r, "record_id"), Str(r, "schema"), Str(r, "source"), Str(r, "reliability"),
                markings.empty() ? "none" : markings, values, Str(r, "evidence")});
    }
    h += "</table>\n";
  }
  if (packet.contains("timeline") && packet["timeline"].contains("events")) {
    const Json& t = packet["timeline"];
    h += "<h2>Timeline</h2>\n<table>\n" + Row({"date", "what", "with", "via", "record", "source"}, "th");
    for (const Json& e : t["events"]) {
      std::string with;
      for (const Json& w : e["with"]) with += (with.empty() ? "" : ", ") + Str(w, "kind") + " " + Str(w, "label");
      std::string links;
      for (const Json& l : e["links"]) links += (links.empty() ? "" : ", ") + l.get<std::string>();
      h += Row({Str(e, "date"), Str(e, "schema") + " (" + links + ")", with,
                e["via"].is_object() ? Str(e["via"], "kind") + " " + Str(e["via"], "label") : "", Str(e, "record_id"),
                Str(e, "source") + " " + Str(e, "reliability")});
    }
    h += "</table>\n";
    if (t.value("more", 0) > 0) h += "<p>" + std::to_string(t.value("more", 0)) + " later events left out.</p>\n";
  }
  h += "<h2>Watchlist hits</h2>\n";
  if (packet.contains("hits") && !packet["hits"].empty()) {
    h += "<table>\n" + Row({"list", "entry", "listed name", "score", "record", "explanation"}, "th");
    for (const Json& x : packet["hits"]) {
      h += Row({Str(x, "list"), Str(x, "source_id"), Str(x, "name"), Num(x, "score"), Str(x, "record_id"),
                Str(x, "explanation")});
    }
    h += "</table>\n<p>A hit is a lead to check, not a finding.</p>\n";
  } else {
    h += "<p>None recorded on this person's records.</p>\n";
  }
  h += "<h2>Review history</h2>\n<table>\n" + Row({"when", "who", "decision or note", "reason"}, "th");
  if (packet.contains("history")) {
    for (const Json& e : packet["history"]) {
      h += Row({Str(e, "at"), Str(e, "actor"), e.contains("decision") ? Str(e, "decision") : "note: " + Str(e, "note"),
                Str(e, "reason")});
    }
  }
  h += "</table>\n</body></html>\n";
  return h;
}

}  // namespace caselink
