// caselink pprl encode|link: privacy-preserving record linkage with CLKs
// (docs/pprl.md). Only ids and encodings leave the encoding side.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "caselink/clk_encoder.h"
#include "caselink/clk_file.h"
#include "caselink/clk_link.h"
#include "caselink/parallel.h"
#include "cli.h"
#include "io/csv_reader.h"

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

std::string Trim(std::string s) {
  const size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

struct EncodeArgs {
  std::string input, schema, secret_file, output, id_column, rejects_path;
  bool keep_spaces = false;
  unsigned threads = 0;
};

// A CSV file whose header names the schema's features (clkhash's input).
int EncodeCsv(const EncodeArgs& args) {
  const Clock::time_point start = Clock::now();
  Result<pprl::LinkageSchema> schema = pprl::LoadLinkageSchema(args.schema);
  if (!schema.ok()) return Fail(schema.status());
  Result<std::string> secret = ReadSecret(args.secret_file);
  if (!secret.ok()) return Fail(secret.status());
  Result<pprl::ClkEncoder> encoder = pprl::ClkEncoder::Create(*schema, *secret);
  if (!encoder.ok()) return Fail(encoder.status());

  std::ifstream in(args.input, std::ios::binary);
  if (!in) return Fail(Status::NotFound(args.input + ": cannot open"));
  io::CsvReader reader(in, ',');
  std::vector<std::string> header;
  if (!reader.Next(&header) || !reader.error().empty()) {
    return Fail(Status::DataError(args.input + ":1: no header row naming the schema's features"));
  }
  for (std::string& h : header) h = Trim(h);
  // Each feature's column; the schema is checked against the header before any row is read.
  std::vector<int> column(schema->features.size(), -1);
  for (size_t f = 0; f < schema->features.size(); ++f) {
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == schema->features[f].identifier) column[f] = static_cast<int>(c);
    }
    if (column[f] < 0 && !schema->features[f].ignored) {
      std::string names;
      for (const std::string& h : header) names += (names.empty() ? "" : ", ") + h;
      return Fail(Status::InvalidArgument(args.input + ":1: no column '" + schema->features[f].identifier +
                                          "' for the schema's feature of that name (the header has: " + names + ")"));
    }
  }
  int id_column = 0;
  if (!args.id_column.empty()) {
    id_column = -1;
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c] == args.id_column) id_column = static_cast<int>(c);
    }
    if (id_column < 0) return Fail(Status::InvalidArgument(args.input + ":1: no column '" + args.id_column + "' (--id-column)"));
  }

  struct Row {
    int64_t line;
    std::vector<std::string> fields;
  };
  std::vector<Row> rows;
  std::vector<json> rejects;
  std::vector<std::string> fields;
  while (reader.Next(&fields)) {
    if (!reader.error().empty()) {
      rejects.push_back({{"line", reader.line()}, {"reason", reader.error()}, {"kept", false}});
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (!args.keep_spaces) {
      for (std::string& f : fields) f = Trim(std::move(f));
    }
    if (static_cast<int>(fields.size()) <= id_column || fields[id_column].empty()) {
      rejects.push_back({{"line", reader.line()}, {"field", header[id_column]}, {"reason", "no id"}, {"kept", false}});
      continue;
    }
    rows.push_back({reader.line(), std::move(fields)});
  }
  if (in.bad()) return Fail(Status::IoError(args.input + ": read failed"));

  // Encoded side by side, each thread with its own copy of the encoder (and its cache).
  std::vector<pprl::Clk> clks(rows.size());
  std::vector<std::vector<std::pair<size_t, pprl::ValueProblem>>> problems(rows.size() ? 8 : 0);
  std::mutex problems_mutex;
  const Clock::time_point encoding = Clock::now();
  auto encode_slice = [&](size_t begin, size_t end) {
    pprl::ClkEncoder mine = *encoder;
    std::vector<std::pair<size_t, pprl::ValueProblem>> found;
    std::vector<std::string_view> values(schema->features.size());
    std::vector<pprl::ValueProblem> row_problems;
    for (size_t r = begin; r < end; ++r) {
      for (size_t f = 0; f < values.size(); ++f) {
        const int c = column[f];
        values[f] = c >= 0 && c < static_cast<int>(rows[r].fields.size()) ? std::string_view(rows[r].fields[c])
                                                                           : std::string_view();
      }
      row_problems.clear();
      clks[r] = mine.Encode(values, &row_problems);
      for (pprl::ValueProblem& p : row_problems) found.emplace_back(r, std::move(p));
    }
    std::lock_guard lock(problems_mutex);
    problems.push_back(std::move(found));
  };
  if (args.threads == 0) {
    ParallelSlices(rows.size(), encode_slice, 2'000);
  } else {
    std::vector<std::thread> pool;
    const size_t slice = (rows.size() + args.threads - 1) / args.threads;
    for (unsigned t = 1; t < args.threads; ++t) {
      const size_t begin = std::min(rows.size(), t * slice), end = std::min(rows.size(), (t + 1) * slice);
      pool.emplace_back(encode_slice, begin, end);
    }
    encode_slice(0, std::min(rows.size(), slice));
    for (std::thread& t : pool) t.join();
  }
  const double encode_seconds = Seconds(encoding);
  size_t values_refused = 0;
  for (auto& list : problems) {
    for (auto& [r, p] : list) {
      ++values_refused;
      rejects.push_back({{"line", rows[r].line},
                         {"field", schema->features[p.feature].identifier},
                         {"value", p.value},
                         {"reason", p.reason},
                         {"kept", "record encoded without this value"}});
    }
  }

  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(Status::IoError(args.output + ": cannot write"));
  out << "id,clk\n";
  for (size_t r = 0; r < rows.size(); ++r) pprl::WriteClkRow(out, rows[r].fields[id_column], clks[r]);
  out.close();
  if (!out) return Fail(Status::IoError(args.output + ": write failed"));

  const double seconds = Seconds(start);
  std::fprintf(stderr, "pprl encode: %zu records of %s -> %s (%d bits) in %.2f s (%.0f records/s; encoding alone "
               "%.2f s, %.0f records/s)\n", rows.size(), args.input.c_str(), args.output.c_str(), schema->l, seconds,
               rows.size() / std::max(seconds, 1e-9), encode_seconds, rows.size() / std::max(encode_seconds, 1e-9));
  if (rejects.empty()) return kExitOk;
  // The plaintext side's own file: it holds values as written, never sent.
  std::sort(rejects.begin(), rejects.end(), [](const json& x, const json& y) { return x["line"] < y["line"]; });
  const std::string rejects_path = args.rejects_path.empty() ? args.input + ".rejects.jsonl" : args.rejects_path;
  std::ofstream rj(rejects_path, std::ios::trunc);
  for (json& j : rejects) {
    j["file"] = args.input;
    rj << j.dump() << '\n';
  }
  const size_t rows_rejected = rejects.size() - values_refused;
  std::fprintf(stderr, "pprl encode: %zu row(s) not encoded, %zu value(s) refused by the schema's formats "
               "(encoded as missing): listed in %s\n", rows_rejected, values_refused, rejects_path.c_str());
  for (size_t i = 0; i < std::min<size_t>(rejects.size(), 5); ++i) {
    const json& j = rejects[i];
    std::fprintf(stderr, "  %s:%lld: %s%s%s\n", args.input.c_str(), static_cast<long long>(j["line"].get<int64_t>()),
                 j.contains("field") ? (j["field"].get<std::string>() + ": ").c_str() : "",
                 j["reason"].get<std::string>().c_str(),
                 j.contains("value") ? (" ('" + j["value"].get<std::string>() + "')").c_str() : "");
  }
  return kExitRejected;
}

struct LinkArgs {
  std::string a, b, output;
  double threshold = 0.8;
  bool one_to_one = false;
  unsigned threads = 0;
};

int Link(const LinkArgs& args) {
  const Clock::time_point start = Clock::now();
  std::vector<std::string> rejected;
  Result<pprl::ClkSet> a = pprl::ReadClkFile(args.a, &rejected);
  if (!a.ok()) return Fail(a.status());
  Result<pprl::ClkSet> b = pprl::ReadClkFile(args.b, &rejected);
  if (!b.ok()) return Fail(b.status());
  for (const std::string& r : rejected) std::fprintf(stderr, "caselink: %s\n", r.c_str());
  if (a->size() > 0 && b->size() > 0 && a->bits != b->bits) {
    return Fail(Status::InvalidArgument(args.a + " holds " + std::to_string(a->bits) + "-bit encodings and " + args.b +
                                        " " + std::to_string(b->bits) + "-bit: not made with one schema"));
  }
  const double read_seconds = Seconds(start);
  const Clock::time_point linking = Clock::now();
  pprl::LinkStats stats;
  const std::vector<pprl::ClkPair> pairs = args.one_to_one
                                               ? pprl::LinkOneToOne(*a, *b, args.threshold, &stats, args.threads)
                                               : pprl::PairsAbove(*a, *b, args.threshold, &stats, args.threads);
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
  std::fprintf(stderr,
               "pprl link: %zu x %zu encodings; %llu compared (%llu ruled out by popcount), %llu at or above %.2f; "
               "%zu %s; read %.2f s, linked in %.3f s (%.1fM comparisons/s, %s)\n",
               a->size(), b->size(), static_cast<unsigned long long>(stats.comparisons),
               static_cast<unsigned long long>(stats.pruned), static_cast<unsigned long long>(stats.candidates),
               args.threshold, pairs.size(), args.one_to_one ? "links one to one" : "pairs", read_seconds,
               link_seconds, stats.comparisons / std::max(link_seconds, 1e-9) / 1e6, pprl::KernelName());
  return rejected.empty() ? kExitOk : kExitRejected;
}

}  // namespace

void RegisterPprl(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("pprl", "Link with a partner without exchanging names: CLK encodings (clkhash's)");
  cmd->require_subcommand(1);
  cmd->footer("Each side encodes its records with a shared secret and sends only ids and encodings;\n"
              "either side links the encodings. See docs/pprl.md for the protocol and its limits.");

  auto ea = std::make_shared<EncodeArgs>();
  auto* encode = cmd->add_subcommand("encode", "Encode records into CLKs with a linkage schema and a shared secret");
  encode->add_option("input", ea->input, "A CSV file whose header names the schema's features")->required();
  encode->add_option("--schema", ea->schema, "A linkage schema, clkhash's version 3 (JSON)")->required();
  encode->add_option("--secret-file", ea->secret_file, "The shared secret (the file's bytes, less a final line break)")
      ->required();
  encode->add_option("--output,-o", ea->output, "Where to write id,clk rows (base64, as clkhash's users exchange them)")
      ->required();
  encode->add_option("--id-column", ea->id_column, "The column of record ids (default: the first)");
  encode->add_flag("--keep-spaces", ea->keep_spaces, "Hash fields as written (default: spaces around them stripped)");
  encode->add_option("--threads", ea->threads, "Threads (default: one per core)");
  encode->add_option("--rejects", ea->rejects_path, "Where to list refused values and rows (default: INPUT.rejects.jsonl)");
  encode->footer(
      "Given clkhash's schema and secret the bits are clkhash's. A value the schema's format refuses\n"
      "(a date not in its format, an integer out of range) is encoded as missing and listed with its\n"
      "line, field and reason in INPUT.rejects.jsonl, which stays on this side (exit status 3).");
  encode->callback([&ctx, ea] { ctx.exit_code = EncodeCsv(*ea); });

  auto la = std::make_shared<LinkArgs>();
  auto* link = cmd->add_subcommand("link", "Link two files of encodings by the Dice coefficient of their bits");
  link->add_option("a", la->a, "Encodings (id,clk CSV)")->required();
  link->add_option("b", la->b, "Encodings (id,clk CSV), made with the same schema and secret")->required();
  link->add_option("--threshold", la->threshold, "Lowest Dice coefficient of a pair")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  link->add_flag("--one-to-one", la->one_to_one,
                 "Greedy one-to-one, as anonlink solves it: the best pair first, each record in one link");
  link->add_option("--output,-o", la->output, "Where to write a_id,b_id,dice rows (default: standard output)");
  link->add_option("--threads", la->threads, "Threads (default: one per core)");
  link->footer("Without --one-to-one every pair at or above the threshold is written, in a's order.");
  link->callback([&ctx, la] { ctx.exit_code = Link(*la); });
}

}  // namespace caselink::cli
