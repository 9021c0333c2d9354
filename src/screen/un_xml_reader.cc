// The UN Security Council consolidated list (XML), read with libxml2 into
// watchlist entries: INDIVIDUALS/INDIVIDUAL as people, ENTITIES/ENTITY as
// organisations.
//
// The whole document is parsed into a tree (the list is a few megabytes) so
// each entry's line is the element's own (xmlGetLineNo). Entity references
// are never expanded and no DTD or network resource is loaded: the file is
// outside input.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "caselink/names.h"
#include "caselink/normalize.h"
#include "caselink/watchlist.h"

namespace caselink {
namespace {

// Published ranges wider than this are cut: "born between 1940 and 1990"
// would otherwise make fifty birth dates, each a false hit.
constexpr int kMaxRangeYears = 20;

bool Is(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

// The element's text, trimmed. Only text and CDATA children count: an
// entity reference stays unexpanded, so a hostile DTD cannot pull in a file
// or grow the text without bound.
std::string Text(const xmlNode* node) {
  std::string out;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) && child->content != nullptr) {
      out += reinterpret_cast<const char*>(child->content);
    }
  }
  return Trim(out);
}

std::vector<const xmlNode*> Children(const xmlNode* node, const char* name) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (Is(child, name)) out.push_back(child);
  }
  return out;
}

std::string ChildText(const xmlNode* node, const char* name) {
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (Is(child, name)) return Text(child);
  }
  return "";
}

void AddUnique(std::vector<std::string>* values, std::string value) {
  if (value.empty()) return;
  if (std::find(values->begin(), values->end(), value) == values->end()) values->push_back(std::move(value));
}

// A country as ISO alpha-2 when known, else as published (header contract).
void AddCountry(std::vector<std::string>* values, const std::string& text) {
  if (text.empty()) return;
  std::string code = CountryCode(text);
  AddUnique(values, code.empty() ? text : code);
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "1971", "1971-03" or "1971-03-02", else "". The UN writes dates this way
// already; anything else, or an impossible date ("1972-08-97"), is left to
// the remarks rather than guessed at.
std::string IsoPrefix(std::string_view text) {
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return "";
  Result<std::string> date = NormalizeDate(text);
  return date.ok() ? *date : "";
}

// Every year from..to, within the years a date can have (NormalizeDate's
// 1000..2999: "about 1000" must not give "999").
void AddYears(std::vector<std::string>* dates, int from, int to) {
  if (from > to) std::swap(from, to);
  from = std::max(from, 1000);
  to = std::min({to, from + kMaxRangeYears - 1, 2999});
  for (int year = from; year <= to; ++year) AddUnique(dates, std::to_string(year));
}

// INDIVIDUAL_DATE_OF_BIRTH: EXACT or APPROXIMATELY with DATE or YEAR, or
// BETWEEN with FROM_YEAR and TO_YEAR. An approximate year is the year on
// either side too, like OFAC's "circa", since that is what "about" means to
// whoever compares it with a customer's date.
void ReadBirthDate(const xmlNode* node, std::vector<std::string>* dates) {
  std::string type = ChildText(node, "TYPE_OF_DATE");
  std::string date = IsoPrefix(ChildText(node, "DATE"));
  std::string year = ChildText(node, "YEAR");
  std::string from = ChildText(node, "FROM_YEAR");
  std::string to = ChildText(node, "TO_YEAR");
  if (AllDigits(from) && AllDigits(to) && from.size() == 4 && to.size() == 4) {
    AddYears(dates, std::stoi(from), std::stoi(to));
    return;
  }
  if (!date.empty()) {
    AddUnique(dates, date);
  } else if (year.size() == 4 && AllDigits(year)) {
    int y = std::stoi(year);
    int spread = type == "APPROXIMATELY" ? 1 : 0;
    AddYears(dates, y - spread, y + spread);
  }
}

// ALIAS_NAME sometimes holds several names separated by ";" ("Azim
// Adhajani; Azim Agha-Jani"); a ";" inside parentheses belongs to a note
// ("حسن غول (Hassan Ghul; Hassan Gul)") and does not split.
std::vector<std::string> SplitAliases(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (c == ';' && depth == 0) {
      if (std::string name = Trim(current); !name.empty()) out.push_back(std::move(name));
      current.clear();
    } else {
      current += c;
    }
  }
  if (std::string name = Trim(current); !name.empty()) out.push_back(std::move(name));
  return out;
}

bool NonLatin(std::string_view text) {
  Script script = DetectScript(text);
  return script != Script::kLatin && script != Script::kUnknown;
}

void ReadAlias(const xmlNode* node, WatchlistEntry* entry) {
  std::string quality = ChildText(node, "QUALITY");
  for (std::string& text : SplitAliases(ChildText(node, "ALIAS_NAME"))) {
    ListedName name;
    name.original_script = NonLatin(text);  // aliases too are sometimes given in Arabic
    name.low_quality = quality == "Low";
    name.kind = quality == "f.k.a." ? "formerly" : "alias";
    name.text = std::move(text);
    entry->names.push_back(std::move(name));
  }
  // An alias can carry the birth date and place it was used with.
  if (std::string date = IsoPrefix(ChildText(node, "DATE_OF_BIRTH")); !date.empty()) {
    AddUnique(&entry->birth_dates, date);
  }
  AddCountry(&entry->countries, ChildText(node, "COUNTRY_OF_BIRTH"));
}

void ReadDocument(const xmlNode* node, WatchlistEntry* entry) {
  ListedDocument doc;
  doc.number = ChildText(node, "NUMBER");
  if (doc.number.empty()) return;  // "<INDIVIDUAL_DOCUMENT/>" and notes without a number
  doc.type = ChildText(node, "TYPE_OF_DOCUMENT");
  if (doc.type.empty()) doc.type = ChildText(node, "TYPE_OF_DOCUMENT2");
  std::string country = ChildText(node, "ISSUING_COUNTRY");
  if (country.empty()) country = ChildText(node, "COUNTRY_OF_ISSUE");
  std::string code = CountryCode(country);
  doc.country = code.empty() ? country : code;
  entry->documents.push_back(std::move(doc));
}

std::string Gender(const std::string& text) {
  if (text == "Male" || text == "male") return "male";
  if (text == "Female" || text == "female") return "female";
  return "";
}

// One INDIVIDUAL or ENTITY; false (with the reason) when it cannot be an
// entry: no DATAID to cite, or no name to screen.
bool ReadEntry(const xmlNode* node, bool person, WatchlistEntry* entry, std::string* reason) {
  const char* prefix = person ? "INDIVIDUAL" : "ENTITY";
  entry->kind = person ? ListedKind::kPerson : ListedKind::kOrganization;
  entry->line = static_cast<int>(xmlGetLineNo(node));
  entry->source_id = ChildText(node, "DATAID");
  if (entry->source_id.empty()) {
    *reason = std::string(prefix) + " without a DATAID";
    return false;
  }
  std::string primary;
  for (const char* part : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
    std::string text = ChildText(node, part);
    if (text.empty()) continue;
    if (!primary.empty()) primary += ' ';
    primary += text;
  }
  if (primary.empty()) {
    *reason = std::string(prefix) + " DATAID " + entry->source_id + " has no name in FIRST_NAME..FOURTH_NAME";
    return false;
  }
  entry->names.push_back({primary, NonLatin(primary), false, "primary"});
  if (std::string original = ChildText(node, "NAME_ORIGINAL_SCRIPT"); !original.empty()) {
    entry->names.push_back({original, true, false, "original script"});
  }
  entry->program = ChildText(node, "UN_LIST_TYPE");
  entry->listed_on = IsoPrefix(ChildText(node, "LISTED_ON"));
  entry->remarks = ChildText(node, "COMMENTS1");
  entry->gender = Gender(ChildText(node, "GENDER"));
  std::string alias_tag = std::string(prefix) + "_ALIAS";
  std::string address_tag = std::string(prefix) + "_ADDRESS";
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    if (Is(child, alias_tag.c_str())) {
      ReadAlias(child, entry);
    } else if (Is(child, "NATIONALITY")) {
      for (const xmlNode* value : Children(child, "VALUE")) AddCountry(&entry->nationalities, Text(value));
    } else if (Is(child, address_tag.c_str()) || Is(child, "INDIVIDUAL_PLACE_OF_BIRTH")) {
      AddCountry(&entry->countries, ChildText(child, "COUNTRY"));
    } else if (Is(child, "INDIVIDUAL_DATE_OF_BIRTH")) {
      ReadBirthDate(child, &entry->birth_dates);
    } else if (Is(child, "INDIVIDUAL_DOCUMENT")) {
      ReadDocument(child, entry);
    }
  }
  return true;
}

// Collects libxml2's first error instead of letting it print to stderr.
struct ParseErrors {
  std::string first;
  int line = 0;
};

// The parse in progress on this thread. A thread_local rather than the
// context's _private, which xmlCtxtReadMemory's reset may clear.
thread_local ParseErrors* g_errors = nullptr;

void OnXmlError(void* /*ctxt*/, xmlErrorPtr error) {
  ParseErrors* errors = g_errors;
  // Warnings (an unknown encoding name, a namespace oddity) do not stop the
  // parse; the first error that does is the one to report.
  if (errors == nullptr || !errors->first.empty() || error == nullptr || error->level < XML_ERR_ERROR) return;
  errors->first = Trim(error->message != nullptr ? error->message : "malformed XML");
  errors->line = error->line;
}

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct CtxtFree {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

}  // namespace

Result<Watchlist> ReadUnConsolidatedXml(const std::string& path) {
  // libxml2 wants its global state set up once, before threads parse.
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });

  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::NotFound("cannot open '" + path + "': no such file or not readable");
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": read failed");
  std::string bytes = buffer.str();
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return Status::DataError(path + ": file too large for libxml2");

  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (ctxt == nullptr) return Status::Internal("libxml2 could not allocate a parser");
  ParseErrors errors;
  g_errors = &errors;
  ctxt->sax->serror = OnXmlError;
  // NONET: no network. BIG_LINES: line numbers past 65535 stay right.
  // NOERROR/NOWARNING: errors come to OnXmlError, not stderr. No NOENT (no
  // entity expansion) and no DTDLOAD.
  int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  std::unique_ptr<xmlDoc, DocFree> doc(
      xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), path.c_str(), nullptr, options));
  g_errors = nullptr;
  if (doc == nullptr || !ctxt->wellFormed) {
    if (errors.first.empty()) {
      if (const xmlError* last = xmlCtxtGetLastError(ctxt.get()); last != nullptr && last->message != nullptr) {
        errors.first = Trim(last->message);
        errors.line = last->line;
      } else {
        errors.first = "not well-formed XML";
      }
    }
    return Status::DataError(path + ":" + std::to_string(std::max(errors.line, 1)) +
                             ": not the UN consolidated list XML: " + errors.first);
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || !Is(root, "CONSOLIDATED_LIST")) {
    std::string name = root != nullptr ? reinterpret_cast<const char*>(root->name) : "(none)";
    int line = root != nullptr ? static_cast<int>(xmlGetLineNo(root)) : 1;
    return Status::DataError(path + ":" + std::to_string(std::max(line, 1)) + ": root element is <" + name +
                             ">, expected <CONSOLIDATED_LIST> (the UN consolidated list XML)");
  }

  Watchlist list;
  list.format = ListFormat::kUnXml;
  for (const xmlNode* group = root->children; group != nullptr; group = group->next) {
    bool people = Is(group, "INDIVIDUALS");
    if (!people && !Is(group, "ENTITIES")) continue;
    const char* item = people ? "INDIVIDUAL" : "ENTITY";
    for (const xmlNode* node = group->children; node != nullptr; node = node->next) {
      if (!Is(node, item)) continue;
      WatchlistEntry entry;
      std::string reason;
      if (ReadEntry(node, people, &entry, &reason)) {
        list.entries.push_back(std::move(entry));
      } else {
        list.rejects.push_back(path + ":" + std::to_string(xmlGetLineNo(node)) + ": " + reason);
      }
    }
  }
  return list;
}

}  // namespace caselink
