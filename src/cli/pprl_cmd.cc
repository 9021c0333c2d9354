// caselink pprl encode|link: privacy-preserving record linkage with CLKs
// (docs/pprl.md). Only ids and encodings leave the encoding side.
#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "base/csv_reader.h"
#include "base/parallel.h"
#include "base/strings.h"
#include "caselink/clk_encoder.h"
#include "caselink/clk_file.h"
#include "caselink/clk_hardening.h"
#include "caselink/clk_link.h"
#include "caselink/ingest.h"
#include "caselink/mapping.h"
#include "caselink/person_fields.h"
#include "cli.h"
#include "io/row_reader.h"

namespace caselink::cli {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// The shared secret: the file's bytes less one trailing line break.
Result<std::string> ReadSecret(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the secret");
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  if (!secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) return Status::InvalidArgument(path + ": the secret is empty");
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    std::fprintf(stderr, "caselink: warning: %s can be read by others than its owner (chmod 600 it)\n", path.c_str());
  }
  return secret;
}

// Options against frequency attacks (clk_hardening.h); both sides use the same.
struct HardeningArgs {
  std::string salt_field;
  bool balanced = false;
  double flip = 0;
};

void AddHardeningOptions(CLI::App* cmd, HardeningArgs& h) {
  cmd->add_option("--salt-field", h.salt_field,
                  "Hash every token with this feature's value (e.g. birth_year): patterns cannot be counted "
                  "across the file; records whose value differs share no bit");
  cmd->add_flag("--balanced", h.balanced,
                "Balanced Bloom filters: the encoding and its complement, permuted (2l bits)");
  cmd->add_option("--flip", h.flip, "Flip each bit with this probability, at random (randomised response)")
      ->check(CLI::Range(0.0, 0.5));
}

struct EncodeArgs {
  std::string input, schema, secret_file, output, id_column, rejects_path, mapping, source = "partner", clearance;
  bool keep_spaces = false, from_store = false;
  unsigned threads = 0;
  HardeningArgs hardening;
};

// One record's plaintext: its id and a value per schema feature (or, for
// `pprl fields`, per derived field). Never leaves this side.
struct Plain {
  int64_t line = 0;
  std::string id;
  std::vector<std::string> values;
};

struct Plaintext {
  std::vector<Plain> rows;
  std::vector<json> rejects;  // rows not encoded, values refused or kept raw: {line, field, value, reason, kept}
  size_t not_persons = 0;     // records of other schemata, skipped
};

Result<pprl::LinkageSchema> SchemaOption(const std::string& text) {
  if (text == "caselink-person") return pprl::ParseLinkageSchema(pprl::PersonSchemaJson(), "caselink-person");
  return pprl::LoadLinkageSchema(text);
}

bool LooksLikeFtm(const std::string& path) {
  for (const char* ext : {".jsonl", ".ndjson", ".json"}) {
    if (path.ends_with(ext)) return true;
  }
  std::ifstream in(path);
  char c = 0;
  while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {
  }
  return c == '{';
}

// A CSV file whose header names the schema's features (clkhash's input).
Status ReadFeatureCsv(const EncodeArgs& args, const pprl::LinkageSchema& schema, Plaintext* out) {
  std::ifstream in(args.input, std::ios::binary);
  if (!in) return Status::NotFound(args.input + ": cannot open");
  CsvReader reader(in, ',');
  std::vector<std::string> header;
  if (!reader.Next(&header) || !reader.error().empty()) {
    return Status::DataError(args.input + ":1: no header row naming the schema's features");
  }
  for (std::string& h : header) h = Trim(h, " \t");
  // Each feature's column; the schema is checked against the header before any row is read.
  std::vector<int> column(schema.features.size(), -1);
  for (size_t f = 0; f < schema.features.size(); ++f) {
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == schema.features[f].identifier) column[f] = static_cast<int>(c);
    }
    if (column[f] < 0 && !schema.features[f].ignored) {
      std::string names;
      for (const std::string& h : header) names += (names.empty() ? "" : ", ") + h;
      return Status::InvalidArgument(args.input + ":1: no column '" + schema.features[f].identifier +
                                     "' for the schema's feature of that name (the header has: " + names + ")");
    }
  }
  int id_column = 0;
  if (!args.id_column.empty()) {
    id_column = -1;
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == args.id_column) id_column = static_cast<int>(c);
    }
    if (id_column < 0)
      return Status::InvalidArgument(args.input + ":1: no column '" + args.id_column + "' (--id-column)");
  }
  std::vector<std::string> fields;
  while (reader.Next(&fields)) {
    if (!reader.error().empty()) {
      out->rejects.push_back({{"line", reader.line()}, {"reason", reader.error()}, {"kept", false}});
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (!args.keep_spaces) {
      for (std::string& f : fields) f = Trim(std::move(f), " \t");
    }
    if (static_cast<int>(fields.size()) <= id_column || fields[id_column].empty()) {
      out->rejects.push_back(
          {{"line", reader.line()}, {"field", header[id_column]}, {"reason", "no id"}, {"kept", false}});
      continue;
    }
    Plain plain{reader.line(), fields[id_column], std::vector<std::string>(schema.features.size())};
    for (size_t f = 0; f < column.size(); ++f) {
      if (column[f] >= 0 && column[f] < static_cast<int>(fields.size())) plain.values[f] = std::move(fields[column[f]]);
    }
    out->rows.push_back(std::move(plain));
  }
  if (in.bad()) return Status::IoError(args.input + ": read failed");
  return Status::Ok();
}

// Which derived field each feature reads; an error names a feature that is
// none of them.
Result<std::vector<int>> DerivedColumns(const pprl::LinkageSchema* schema) {
  const std::vector<std::string>& names = pprl::PersonFieldNames();
  std::vector<int> column;
  if (schema == nullptr) {  // `pprl fields`: all of them
    for (size_t i = 0; i < names.size(); ++i) column.push_back(static_cast<int>(i));
    return column;
  }
  for (const pprl::ClkFeature& f : schema->features) {
    const auto it = std::find(names.begin(), names.end(), f.identifier);
    if (it == names.end() && !f.ignored) {
      std::string all;
      for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
      return Status::InvalidArgument("the schema's feature '" + f.identifier +
                                     "' is not a field caselink derives from a Person (" + all + ")");
    }
    column.push_back(it == names.end() ? -1 : static_cast<int>(it - names.begin()));
  }
  return column;
}

void AddPerson(const Record& record, int64_t line, const std::vector<int>& column, Plaintext* out) {
  std::vector<std::string> derived = pprl::PersonFields(record);
  Plain plain{line, record.id, std::vector<std::string>(column.size())};
  for (size_t f = 0; f < column.size(); ++f) {
    if (column[f] >= 0) plain.values[f] = std::move(derived[column[f]]);
  }
  out->rows.push_back(std::move(plain));
}

// FtM JSON lines, or CSV through a mapping, read as `ingest` reads them:
// Person records give the derived fields.
Status ReadRecords(const EncodeArgs& args, const pprl::LinkageSchema* schema, Plaintext* out) {
  Result<std::vector<int>> column = DerivedColumns(schema);
  if (!column.ok()) return column.status();
  Result<std::unique_ptr<io::RowReader>> reader = Status::Ok();
  std::optional<CsvMapping> mapping;
  if (!args.mapping.empty()) {
    Result<CsvMapping> m = LoadCsvMapping(args.mapping);
    if (!m.ok()) return m.status();
    mapping = std::move(m.value());
    reader = io::OpenMappedCsv(args.input, *mapping, args.source);
  } else {
    reader = io::OpenFtmJsonLines(args.input);
  }
  if (!reader.ok()) return reader.status();
  io::InputRow row;
  while ((*reader)->Next(&row)) {
    if (!row.ok) {
      out->rejects.push_back(
          {{"line", row.line}, {"field", row.error.field}, {"reason", row.error.reason}, {"kept", false}});
      continue;
    }
    for (const io::RowError& w : row.warnings) {
      out->rejects.push_back({{"line", row.line},
                              {"field", w.field},
                              {"value", w.value},
                              {"reason", w.reason},
                              {"kept", w.kept ? "kept as written" : "left out"}});
    }
    for (io::RawEntity& raw : row.entities) {
      Record record;
      io::RowError error;
      std::vector<io::RowError> warnings;
      if (!io::BuildRecord(std::move(raw), "", &record, &error, &warnings)) {
        out->rejects.push_back({{"line", row.line}, {"field", error.field}, {"reason", error.reason}, {"kept", false}});
        continue;
      }
      for (const io::RowError& w : warnings) {
        out->rejects.push_back({{"line", row.line},
                                {"field", w.field},
                                {"value", w.value},
                                {"reason", w.reason},
                                {"kept", w.kept ? "kept as written" : "left out"}});
      }
      if (record.schema != "Person") {
        ++out->not_persons;
        continue;
      }
      AddPerson(record, row.line, *column, out);
    }
  }
  return (*reader)->status();
}

// The store's Person records that --clearance may see; the read is audited.
Status ReadStore(const Context& ctx, const EncodeArgs& args, const pprl::LinkageSchema* schema, const std::string& verb,
                 Plaintext* out) {
  Result<std::vector<int>> column = DerivedColumns(schema);
  if (!column.ok()) return column.status();
  Result<std::unique_ptr<Store>> store = OpenStore(ctx);
  if (!store.ok()) return store.status();
  Result<Clearance> clearance = ClearanceOption(args.clearance, **store);
  if (!clearance.ok()) return clearance.status();
  Status scanned = (*store)->ScanRecords(*clearance, [&](Record& record, const Source&) {
    if (record.schema == "Person") {
      AddPerson(record, 0, *column, out);
    } else {
      ++out->not_persons;
    }
  });
  if (!scanned.ok()) return scanned;
  const json detail = {{"records", out->rows.size()}, {"clearance", args.clearance}, {"output", args.output}};
  return (*store)->Audit("cli", verb, detail.dump());
}

Status ReadPlaintext(const Context& ctx, const EncodeArgs& args, const pprl::LinkageSchema* schema,
                     const std::string& verb, Plaintext* out) {
  if (args.from_store) return ReadStore(ctx, args, schema, verb, out);
  if (args.input.empty()) return Status::InvalidArgument("name an input file, or --from-store");
  if (!args.mapping.empty() || LooksLikeFtm(args.input) || schema == nullptr) return ReadRecords(args, schema, out);
  return ReadFeatureCsv(args, *schema, out);
}

// Lists what was not encoded in the plaintext side's own rejects file (it
// holds values as written: never sent) and returns the exit status.
int ReportRejects(const EncodeArgs& args, Plaintext& plain, const char* what) {
  if (plain.not_persons > 0) {
    std::fprintf(stderr, "pprl %s: %zu record(s) not of schema Person skipped\n", what, plain.not_persons);
  }
  if (plain.rejects.empty()) return kExitOk;
  std::stable_sort(plain.rejects.begin(), plain.rejects.end(),
                   [](const json& x, const json& y) { return x["line"] < y["line"]; });
  const std::string where = args.from_store ? std::string("the store") : args.input;
  const std::string rejects_path =
      !args.rejects_path.empty() ? args.rejects_path : (args.from_store ? args.output : args.input) + ".rejects.jsonl";
  std::ofstream rj(rejects_path, std::ios::trunc);
  size_t rows = 0, values = 0;
  for (json& j : plain.rejects) {
    j["file"] = where;
    rj << j.dump() << '\n';
    (j["kept"] == false ? rows : values) += 1;
  }
  std::fprintf(stderr,
               "pprl %s: %zu row(s) not encoded, %zu value(s) refused or unread (encoded as missing or as "
               "far as they read): listed in %s\n",
               what, rows, values, rejects_path.c_str());
  for (size_t i = 0; i < std::min<size_t>(plain.rejects.size(), 5); ++i) {
    const json& j = plain.rejects[i];
    std::fprintf(stderr, "  %s:%lld: %s%s%s\n", where.c_str(), static_cast<long long>(j["line"].get<int64_t>()),
                 j.contains("field") ? (j["field"].get<std::string>() + ": ").c_str() : "",
                 j["reason"].get<std::string>().c_str(),
                 j.contains("value") ? (" ('" + j["value"].get<std::string>() + "')").c_str() : "");
  }
  return kExitRejected;
}

// Encodes every row side by side, each thread with its own copy of the
// encoder (and its cache); problems come back with their row.
Result<std::vector<pprl::Clk>> EncodeAll(const pprl::ClkEncoder& encoder, const std::vector<Plain>& rows,
                                         unsigned threads, const HardeningArgs& hardening, std::string_view secret,
                                         std::vector<std::pair<size_t, pprl::ValueProblem>>* problems) {
  std::vector<pprl::Clk> clks(rows.size());
  int salt = -1;
  if (!hardening.salt_field.empty()) {
    const auto& features = encoder.schema().features;
    for (size_t f = 0; f < features.size(); ++f) {
      if (features[f].identifier == hardening.salt_field) salt = static_cast<int>(f);
    }
    if (salt < 0) {
      return Status::InvalidArgument("--salt-field: the schema has no feature '" + hardening.salt_field + "'");
    }
  }
  std::vector<uint32_t> permutation;
  if (hardening.balanced) {
    Result<std::vector<uint32_t>> p = pprl::BalancePermutation(secret, static_cast<size_t>(encoder.schema().l));
    if (!p.ok()) return p.status();
    permutation = std::move(p.value());
  }
  std::mutex problems_mutex;
  const size_t features = encoder.schema().features.size();
  auto encode_slice = [&](size_t begin, size_t end) {
    pprl::ClkEncoder mine = encoder;
    std::vector<std::pair<size_t, pprl::ValueProblem>> found;
    std::vector<std::string_view> values(features);
    std::vector<pprl::ValueProblem> row_problems;
    for (size_t r = begin; r < end; ++r) {
      for (size_t f = 0; f < features; ++f) values[f] = rows[r].values[f];
      row_problems.clear();
      clks[r] = mine.Encode(values, &row_problems, salt >= 0 ? std::string_view(rows[r].values[salt]) : "");
      if (hardening.balanced) clks[r] = pprl::Balance(clks[r], permutation);
      pprl::FlipBits(clks[r], hardening.flip);
      for (pprl::ValueProblem& p : row_problems) found.emplace_back(r, std::move(p));
    }
    std::lock_guard lock(problems_mutex);
    problems->insert(problems->end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  };
  if (threads == 0) {
    ParallelSlices(rows.size(), encode_slice, 2'000);
  } else {
    std::vector<std::thread> pool;
    const size_t slice = (rows.size() + threads - 1) / threads;
    for (unsigned t = 1; t < threads; ++t) {
      const size_t begin = std::min(rows.size(), t * slice), end = std::min(rows.size(), (t + 1) * slice);
      pool.emplace_back(encode_slice, begin, end);
    }
    encode_slice(0, std::min(rows.size(), slice));
    for (std::thread& t : pool) t.join();
  }
  // In row order, whichever thread finished first: the rejects file is the same run to run.
  std::stable_sort(problems->begin(), problems->end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return clks;
}

int Encode(const Context& ctx, const EncodeArgs& args) {
  const Clock::time_point start = Clock::now();
  const bool records = args.from_store || !args.mapping.empty() || (!args.input.empty() && LooksLikeFtm(args.input));
  const std::string schema_name = args.schema.empty() && records ? "caselink-person" : args.schema;
  if (schema_name.empty()) {
    return Fail(Status::InvalidArgument("--schema: a CSV of features needs the linkage schema they were named for"));
  }
  Result<pprl::LinkageSchema> schema = SchemaOption(schema_name);
  if (!schema.ok()) return Fail(schema.status());
  Result<std::string> secret = ReadSecret(args.secret_file);
  if (!secret.ok()) return Fail(secret.status());
  Result<pprl::ClkEncoder> encoder = pprl::ClkEncoder::Create(*schema, *secret);
  if (!encoder.ok()) return Fail(encoder.status());
  Plaintext plain;
  if (Status st = ReadPlaintext(ctx, args, &*schema, "pprl encode", &plain); !st.ok()) return Fail(st);
  std::vector<Plain>& rows = plain.rows;

  const Clock::time_point encoding = Clock::now();
  std::vector<std::pair<size_t, pprl::ValueProblem>> problems;
  Result<std::vector<pprl::Clk>> encoded = EncodeAll(*encoder, rows, args.threads, args.hardening, *secret, &problems);
  if (!encoded.ok()) return Fail(encoded.status());
  const std::vector<pprl::Clk>& clks = encoded.value();
  const double encode_seconds = Seconds(encoding);
  for (auto& [r, p] : problems) {
    plain.rejects.push_back({{"line", rows[r].line},
                             {"id", rows[r].id},
                             {"field", schema->features[p.feature].identifier},
                             {"value", p.value},
                             {"reason", p.reason},
                             {"kept", "record encoded without this value"}});
  }

  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(Status::IoError(args.output + ": cannot write"));
  out << "id,clk\n";
  for (size_t r = 0; r < rows.size(); ++r) pprl::WriteClkRow(out, rows[r].id, clks[r]);
  out.close();
  if (!out) return Fail(Status::IoError(args.output + ": write failed"));

  const double seconds = Seconds(start);
  std::fprintf(stderr,
               "pprl encode: %zu records of %s with %s -> %s (%d bits) in %.2f s (%.0f records/s; encoding "
               "alone %.2f s, %.0f records/s)\n",
               rows.size(), args.from_store ? "the store" : args.input.c_str(), schema_name.c_str(),
               args.output.c_str(), schema->l, seconds, rows.size() / std::max(seconds, 1e-9), encode_seconds,
               rows.size() / std::max(encode_seconds, 1e-9));
  return ReportRejects(args, plain, "encode");
}

// `pprl fields`: the derived plaintext, for a partner who encodes with clkhash.
int Fields(const Context& ctx, const EncodeArgs& args) {
  Plaintext plain;
  if (Status st = ReadPlaintext(ctx, args, nullptr, "pprl fields", &plain); !st.ok()) return Fail(st);
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(Status::IoError(args.output + ": cannot write"));
  auto cell = [&out](const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return void(out << v);
    out << '"';
    for (char c : v) out << (c == '"' ? std::string("\"\"") : std::string(1, c));
    out << '"';
  };
  const std::vector<std::string>& names = pprl::PersonFieldNames();
  for (size_t i = 0; i < names.size(); ++i) out << (i ? "," : "") << names[i];
  out << '\n';
  for (const Plain& p : plain.rows) {
    for (size_t i = 0; i < p.values.size(); ++i) {
      if (i) out << ',';
      cell(p.values[i]);
    }
    out << '\n';
  }
  out.close();
  if (!out) return Fail(Status::IoError(args.output + ": write failed"));
  std::fprintf(stderr, "pprl fields: %zu Person records -> %s (plaintext: keep it on this side)\n", plain.rows.size(),
               args.output.c_str());
  return ReportRejects(args, plain, "fields");
}

struct LinkArgs {
  std::string a, b, output;
  double threshold = 0.8;
  bool one_to_one = false;
  unsigned threads = 0;
  std::string blocking = "auto", lsh = "64x14";
  // Against the store: its Person records encoded on the fly.
  bool against_store = false;
  std::string secret_file, schema = "caselink-person", clearance, evidence, ingest_source, reliability, markings;
  HardeningArgs hardening;
};

// The store's Person records, encoded as the partner encoded theirs.
Result<pprl::ClkSet> EncodeStore(const Context& ctx, const LinkArgs& args) {
  Result<pprl::LinkageSchema> schema = SchemaOption(args.schema);
  if (!schema.ok()) return schema.status();
  Result<std::string> secret = ReadSecret(args.secret_file);
  if (!secret.ok()) return secret.status();
  Result<pprl::ClkEncoder> encoder = pprl::ClkEncoder::Create(*schema, *secret);
  if (!encoder.ok()) return encoder.status();
  EncodeArgs read;
  read.from_store = true;
  read.clearance = args.clearance;
  read.output = "(linked against " + args.a + ")";
  Plaintext plain;
  if (Status st = ReadStore(ctx, read, &*schema, "pprl link", &plain); !st.ok()) return st;
  std::vector<std::pair<size_t, pprl::ValueProblem>> problems;
  Result<std::vector<pprl::Clk>> clks =
      EncodeAll(*encoder, plain.rows, args.threads, args.hardening, *secret, &problems);
  if (!clks.ok()) return clks.status();
  pprl::ClkSet set;
  for (size_t r = 0; r < clks->size(); ++r) set.Add(plain.rows[r].id, (*clks)[r]);
  if (!problems.empty()) {
    std::fprintf(stderr, "pprl link: %zu value(s) of the store's records refused by the schema (encoded as missing)\n",
                 problems.size());
  }
  return set;
}

// The links as FtM evidence: the partner's record as a Person known only by
// its id, and a Similar (FtM's record-linkage outcome) from our record to it
// with the Dice coefficient. No name crosses: the partner sent none.
Status WriteEvidence(const LinkArgs& args, const pprl::ClkSet& partner, const pprl::ClkSet& ours,
                     const std::vector<pprl::ClkPair>& pairs, const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return Status::IoError(path + ": cannot write");
  const std::string prefix = args.ingest_source.empty() ? std::string("partner") : args.ingest_source;
  const std::string file = std::filesystem::path(args.a).filename().string();
  char score[32];
  for (const pprl::ClkPair& p : pairs) {
    const std::string theirs = prefix + "-" + partner.ids[p.a];
    std::snprintf(score, sizeof score, "%.4f", p.dice);
    out << json{{"id", theirs},
                {"schema", "Person"},
                {"properties",
                 {{"notes",
                   {"A partner's record " + partner.ids[p.a] + " from " + file +
                    ", known here by its encoding only (caselink pprl link)"}}}}}
               .dump()
        << '\n';
    out << json{{"id", theirs + "-similar-" + ours.ids[p.b]},
                {"schema", "Similar"},
                {"properties",
                 {{"candidate", {ours.ids[p.b]}},
                  {"match", {theirs}},
                  {"confidenceScore", {std::string(score)}},
                  {"criteria",
                   {"the partner's record " + partner.ids[p.a] + " matches ours, Dice " + score +
                    " of their encodings (" + args.schema + ")" + (args.one_to_one ? ", greedy one to one" : "")}},
                  {"matcher", {"caselink pprl link"}}}}}
               .dump()
        << '\n';
  }
  out.close();
  return out ? Status::Ok() : Status::IoError(path + ": write failed");
}

int Link(const Context& ctx, const LinkArgs& args) {
  const Clock::time_point start = Clock::now();
  std::vector<std::string> rejected;
  Result<pprl::ClkSet> a = pprl::ReadClkFile(args.a, &rejected);
  if (!a.ok()) return Fail(a.status());
  if (args.against_store == !args.b.empty()) {
    return Fail(Status::InvalidArgument("name a second file of encodings, or --against-store (not both)"));
  }
  if (args.against_store && args.secret_file.empty()) {
    return Fail(Status::InvalidArgument("--against-store encodes the store's records: it needs --secret-file"));
  }
  Result<pprl::ClkSet> b = args.against_store ? EncodeStore(ctx, args) : pprl::ReadClkFile(args.b, &rejected);
  if (!b.ok()) return Fail(b.status());
  for (const std::string& r : rejected) std::fprintf(stderr, "caselink: %s\n", r.c_str());
  if (a->size() > 0 && b->size() > 0 && a->bits != b->bits) {
    return Fail(Status::InvalidArgument(args.a + " holds " + std::to_string(a->bits) + "-bit encodings and " + args.b +
                                        " " + std::to_string(b->bits) + "-bit: not made with one schema"));
  }
  const double read_seconds = Seconds(start);
  // Every pair while that is seconds of work; beyond, bands of sampled bits.
  constexpr double kAllPairsLimit = 2e9;
  pprl::LshBlocking lsh;
  const bool use_lsh = args.blocking == "lsh" ||
                       (args.blocking == "auto" && static_cast<double>(a->size()) * b->size() > kAllPairsLimit);
  if (use_lsh) {
    int bands = 0, bits = 0;
    char x = 0;
    std::istringstream spec(args.lsh);
    if (!(spec >> bands >> x >> bits) || x != 'x' || bands < 1 || bands > 1000 || bits < 1 || bits > 64) {
      return Fail(
          Status::InvalidArgument("--lsh: expected BANDSxBITS (1-1000 bands of 1-64 bits), read '" + args.lsh + "'"));
    }
    lsh = {bands, bits};
    std::fprintf(stderr,
                 "pprl link: %zu x %zu pairs: compared where they agree on one of %d bands of %d sampled bits "
                 "(--blocking all compares every pair)\n",
                 a->size(), b->size(), bands, bits);
  }
  const Clock::time_point linking = Clock::now();
  pprl::LinkStats stats;
  const pprl::LshBlocking* blocking = use_lsh ? &lsh : nullptr;
  const std::vector<pprl::ClkPair> pairs =
      args.one_to_one ? pprl::LinkOneToOne(*a, *b, args.threshold, &stats, args.threads, blocking)
                      : pprl::PairsAbove(*a, *b, args.threshold, &stats, args.threads, blocking);
  const double link_seconds = Seconds(linking);

  std::ofstream file;
  if (!args.output.empty()) {
    file.open(args.output, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status::IoError(args.output + ": cannot write"));
  }
  std::ostream& out = args.output.empty() ? std::cout : file;
  out << "a_id,b_id,dice\n";
  char score[32];
  for (const pprl::ClkPair& p : pairs) {
    std::snprintf(score, sizeof score, "%.4f", p.dice);
    out << a->ids[p.a] << ',' << b->ids[p.b] << ',' << score << '\n';
  }
  out.flush();
  if (!out) return Fail(Status::IoError((args.output.empty() ? "stdout" : args.output) + ": write failed"));
  if (args.against_store) {
    const std::string evidence = args.evidence.empty() ? args.a + ".evidence.jsonl" : args.evidence;
    if (Status st = WriteEvidence(args, *a, *b, pairs, evidence); !st.ok()) return Fail(st);
    std::fprintf(stderr, "pprl link: %zu links as FtM evidence (the partner's records and Similar links) in %s\n",
                 pairs.size(), evidence.c_str());
    if (!args.ingest_source.empty()) {
      Result<std::unique_ptr<Store>> store = OpenOrCreateStore(ctx);
      if (!store.ok()) return Fail(store.status());
      IngestOptions options;
      options.source = args.ingest_source;
      options.actor = "cli";
      if (!args.reliability.empty()) {
        Result<Reliability> r = Reliability::Parse(args.reliability);
        if (!r.ok()) return Fail(r.status().WithContext("--reliability"));
        options.reliability = r.value();
      }
      if (!args.markings.empty()) {
        Result<std::vector<std::string>> m = ParseMarkings(args.markings);
        if (!m.ok()) return Fail(m.status().WithContext("--markings"));
        options.markings = m.value();
      }
      Result<IngestSummary> ingested = IngestFile(**store, evidence, options);
      if (!ingested.ok()) return Fail(ingested.status());
      std::fprintf(stderr,
                   "pprl link: %lld records ingested as source '%s'; `caselink resolve --incremental` "
                   "puts them in the graph\n",
                   static_cast<long long>(ingested->accepted), args.ingest_source.c_str());
    }
  }
  std::fprintf(stderr,
               "pprl link: %zu x %zu encodings; %llu compared (%llu ruled out unread), %llu at or above %.2f; "
               "%zu %s; read %.2f s, linked in %.3f s (%.1fM comparisons/s, %s)\n",
               a->size(), b->size(), static_cast<unsigned long long>(stats.comparisons),
               static_cast<unsigned long long>(stats.pruned), static_cast<unsigned long long>(stats.candidates),
               args.threshold, pairs.size(), args.one_to_one ? "links one to one" : "pairs", read_seconds, link_seconds,
               stats.comparisons / std::max(link_seconds, 1e-9) / 1e6, pprl::KernelName());
  return rejected.empty() ? kExitOk : kExitRejected;
}

}  // namespace

void RegisterPprl(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("pprl", "Link with a partner without exchanging names: CLK encodings (clkhash's)");
  cmd->require_subcommand(1);
  cmd->footer(
      "Each side encodes its records with a shared secret and sends only ids and encodings;\n"
      "either side links the encodings. See docs/pprl.md for the protocol and its limits.");

  auto ea = std::make_shared<EncodeArgs>();
  auto* encode = cmd->add_subcommand("encode", "Encode records into CLKs with a linkage schema and a shared secret");
  encode->add_option("input", ea->input,
                     "A CSV file whose header names the schema's features, FtM JSON lines, or CSV with --mapping");
  encode->add_flag("--from-store", ea->from_store, "Encode the store's Person records instead of a file");
  encode->add_option("--clearance", ea->clearance, "With --from-store: only records these markings may see");
  encode->add_option("--schema", ea->schema,
                     "A linkage schema, clkhash's version 3 (JSON), or caselink-person (the default for records)");
  encode->add_option("--mapping", ea->mapping, "A TOML mapping of the CSV input to FtM entities (as ingest reads)");
  encode->add_option("--source", ea->source, "{$source} in the mapping's templates")->capture_default_str();
  encode->add_option("--secret-file", ea->secret_file, "The shared secret (the file's bytes, less a final line break)")
      ->required();
  encode->add_option("--output,-o", ea->output, "Where to write id,clk rows (base64, as clkhash's users exchange them)")
      ->required();
  encode->add_option("--id-column", ea->id_column, "A CSV of features: the column of record ids (default: the first)");
  encode->add_flag("--keep-spaces", ea->keep_spaces, "A CSV of features: hash fields as written (default: trimmed)");
  encode->add_option("--threads", ea->threads, "Threads (default: one per core)");
  AddHardeningOptions(encode, ea->hardening);
  encode->add_option("--rejects", ea->rejects_path,
                     "Where to list refused values and rows (default: INPUT.rejects.jsonl)");
  encode->footer(
      "A CSV of features with clkhash's schema and secret gives clkhash's bits. Records (FtM, mapped CSV,\n"
      "the store) are encoded from the fields caselink derives from each Person (`pprl fields`): name\n"
      "skeletons and romanised tokens that a partner's script shares, birth year, month and day.\n"
      "A value the schema's format refuses is encoded as missing and listed with its line, field and\n"
      "reason in INPUT.rejects.jsonl, which stays on this side (exit status 3).");
  encode->callback([&ctx, ea] { ctx.exit_code = Encode(ctx, *ea); });

  auto fa = std::make_shared<EncodeArgs>();
  auto* fields = cmd->add_subcommand("fields", "Write the fields caselink derives from Person records, as CSV");
  fields->add_option("input", fa->input, "FtM JSON lines, or CSV with --mapping");
  fields->add_flag("--from-store", fa->from_store, "The store's Person records instead of a file");
  fields->add_option("--clearance", fa->clearance, "With --from-store: only records these markings may see");
  fields->add_option("--mapping", fa->mapping, "A TOML mapping of the CSV input to FtM entities");
  fields->add_option("--source", fa->source, "{$source} in the mapping's templates")->capture_default_str();
  fields->add_option("--output,-o", fa->output, "Where to write the CSV")->required();
  fields->add_option("--rejects", fa->rejects_path, "Where to list rows and values that did not read");
  fields->footer("Plaintext: for a side that encodes with clkhash and `caselink pprl schema`. Never send it.");
  fields->callback([&ctx, fa] { ctx.exit_code = Fields(ctx, *fa); });

  auto* schema = cmd->add_subcommand("schema", "Print the caselink-person linkage schema (clkhash's version 3)");
  schema->callback([] { std::fwrite(pprl::PersonSchemaJson().data(), 1, pprl::PersonSchemaJson().size(), stdout); });

  auto la = std::make_shared<LinkArgs>();
  auto* link = cmd->add_subcommand("link", "Link two files of encodings by the Dice coefficient of their bits");
  link->add_option("a", la->a, "Encodings (id,clk CSV): the partner's")->required();
  link->add_option("b", la->b, "Encodings (id,clk CSV), made with the same schema and secret");
  link->add_flag("--against-store", la->against_store,
                 "Link a against the store's Person records, encoded now with --schema and --secret-file");
  link->add_option("--schema", la->schema, "With --against-store: the linkage schema (a file, or caselink-person)")
      ->capture_default_str();
  link->add_option("--secret-file", la->secret_file, "With --against-store: the shared secret");
  link->add_option("--clearance", la->clearance, "With --against-store: only records these markings may see");
  link->add_option("--evidence", la->evidence,
                   "With --against-store: where to write the links as FtM (default: A.evidence.jsonl)");
  link->add_option("--ingest", la->ingest_source,
                   "With --against-store: ingest the evidence into the store as this source");
  AddHardeningOptions(link, la->hardening);
  link->add_option("--reliability", la->reliability, "With --ingest: the Admiralty grade of a new source, e.g. B2");
  link->add_option("--markings", la->markings, "With --ingest: markings a user must hold to see the evidence");
  link->add_option("--threshold", la->threshold, "Lowest Dice coefficient of a pair")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  link->add_flag("--one-to-one", la->one_to_one,
                 "Greedy one-to-one, as anonlink solves it: the best pair first, each record in one link");
  link->add_option("--output,-o", la->output, "Where to write a_id,b_id,dice rows (default: standard output)");
  link->add_option("--threads", la->threads, "Threads (default: one per core)");
  link->add_option("--blocking", la->blocking,
                   "all: every pair (those whose popcounts cannot reach the threshold skipped); lsh: pairs that agree "
                   "on a band of sampled bits; auto: all up to 2e9 pairs, else lsh")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "all", "lsh"}));
  link->add_option("--lsh", la->lsh, "Bands and bits per band of the LSH blocking, BANDSxBITS")->capture_default_str();
  link->footer(
      "Without --one-to-one every pair at or above the threshold is written, in a's order.\n"
      "Against the store, each link is also written as FtM evidence: the partner's record as a Person\n"
      "known by its id alone, and a Similar from our record to it with the Dice coefficient. Ingested\n"
      "(--ingest SOURCE) and resolved, the partner's record is a node an analyst can seed from.");
  link->callback([&ctx, la] { ctx.exit_code = Link(ctx, *la); });
}

}  // namespace caselink::cli
