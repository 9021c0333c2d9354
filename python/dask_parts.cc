// The parts of a resolve a Dask cluster runs (caselink/dask.py), as the
// `_native` module's RowMapping, Model and functions: rows of a DataFrame
// partition become records through the command's CSV mapping, records give
// their keys, candidate pairs are scored and each connected part of the
// records is resolved by the engine's own Resolve (resolve_parts.h).
//
// A record's position is its row's position in the whole DataFrame times the
// mapping's entities per row, plus its entity's place in the mapping: the
// order one ingest of the DataFrame would store them in, which is the order a
// resolve joins them in.
#include "dask_parts.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "caselink/corpus.h"
#include "caselink/mapping.h"
#include "caselink/match_model.h"
#include "caselink/resolve.h"
#include "caselink/resolve_parts.h"
#include "io/entity_builder.h"
#include "io/row_reader.h"
#include "resolve/keys.h"
#include "store/value_codec.h"

namespace py = pybind11;

namespace {

template <typename T>
py::array_t<T> ToArray(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

template <typename T>
std::vector<T> FromArray(const py::array_t<T, py::array::c_style | py::array::forcecast>& a) {
  return std::vector<T>(a.data(), a.data() + a.size());
}

// Two independent 64-bit hashes of a key: a block is the records whose keys
// agree on both (a collision of 128 bits among a billion keys is as likely
// as none), and no key string crosses the cluster.
std::pair<uint64_t, uint64_t> Hash128(const std::string& key) {
  return {caselink::resolve::KeyHash(key), caselink::resolve::KeyHash("\x1f" + key)};
}

// A record as it travels between workers: its id, schema and source, then
// its values as the store keeps them (value_codec.h), each part after a
// 4-byte length. Read back without the ingest's normalising (names,
// phones, dates), which is most of what reading a row costs, and into the
// same Record a store would load.
void PutPart(std::string_view part, std::string& out) {
  const auto size = static_cast<uint32_t>(part.size());
  out.append(reinterpret_cast<const char*>(&size), sizeof size);
  out.append(part);
}

bool GetPart(std::string_view& in, std::string_view* part) {
  uint32_t size = 0;
  if (in.size() < sizeof size) return false;
  std::memcpy(&size, in.data(), sizeof size);
  in.remove_prefix(sizeof size);
  if (size > in.size()) return false;
  *part = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

std::string EncodeRecord(const caselink::Record& r) {
  std::string out;
  PutPart(r.id, out);
  PutPart(std::string_view(r.schema), out);
  PutPart(std::string_view(r.source), out);
  PutPart(caselink::sqlite::EncodeValues(r.values), out);
  return out;
}

caselink::Record DecodeRecord(std::string_view in, int64_t seq) {
  std::string_view id, schema, source, values;
  caselink::Record r;
  if (!GetPart(in, &id) || !GetPart(in, &schema) || !GetPart(in, &source) || !GetPart(in, &values) ||
      !caselink::sqlite::DecodeValues(values, &r.values).ok()) {
    throw std::runtime_error("a record's bytes did not decode (not written by RowMapping.read)");
  }
  r.id = std::string(id);
  r.schema = schema;
  r.source = source;
  r.seq = seq;
  return r;
}

// Records as bytes (a list of them, each kept by the list) at their
// positions: a corpus in position order, each position once; `local` maps a
// position to its place in the corpus.
caselink::Corpus CorpusOf(const std::vector<std::string_view>& records, const std::vector<int64_t>& pos,
                          std::unordered_map<int64_t, int>* local) {
  std::vector<size_t> order(pos.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return pos[x] < pos[y]; });
  caselink::Corpus corpus;
  local->reserve(pos.size());
  for (size_t i : order) {
    if (local->count(pos[i])) continue;
    caselink::Record r = DecodeRecord(records[i], pos[i] + 1);
    bool known = false;
    for (const caselink::Source& s : corpus.sources) known = known || s.name == std::string_view(r.source);
    if (!known) {
      caselink::Source source;
      source.name = std::string(std::string_view(r.source));
      corpus.sources.push_back(source);
    }
    (*local)[pos[i]] = corpus.Append(std::move(r));
  }
  return corpus;
}

// The bytes objects of a list, in place (the list keeps them alive).
std::vector<std::string_view> BytesOf(const py::list& values, const char* what) {
  std::vector<std::string_view> out;
  out.reserve(values.size());
  for (const py::handle& v : values) {
    if (!PyBytes_Check(v.ptr())) throw py::type_error(std::string(what) + ": expected bytes from RowMapping.read");
    out.emplace_back(PyBytes_AS_STRING(v.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(v.ptr())));
  }
  return out;
}

// How rows of one DataFrame become records: the mapping (TOML), the source
// name, the CSV header the partitions are written under, and the file name
// {$file} stands for. Pickled as those four texts.
class RowMapping {
 public:
  RowMapping(std::string toml, std::string source, std::string header, std::string name)
      : toml_(std::move(toml)), source_(std::move(source)), header_(std::move(header)), name_(std::move(name)) {
    caselink::Result<caselink::CsvMapping> m = caselink::ParseCsvMapping(toml_, "mapping");
    if (!m.ok()) throw py::value_error(m.status().message());
    mapping_ = std::move(m).value();
    per_row_ = static_cast<int64_t>(mapping_.entities.size());
  }
  py::tuple State() const { return py::make_tuple(toml_, source_, header_, name_); }
  int64_t per_row() const { return per_row_; }

  struct Read {
    std::vector<int64_t> pos;
    std::vector<std::string> rec, id, lone;
    std::vector<uint64_t> bh1, bh2, eh1, eh2;
    std::vector<int64_t> bcap, bpos, epos;
    std::vector<std::string> rejected, warnings;
    int64_t rows = 0;
  };

  // The records of CSV rows (no header) whose first is row `first_row` of
  // the DataFrame; with `keys`, each record's blocking and exact keys.
  Read Records(std::string body, int64_t first_row, bool keys) const {
    Read out;
    caselink::Result<std::unique_ptr<caselink::io::RowReader>> reader =
        caselink::io::OpenMappedCsvText(header_ + "\n" + body, name_, mapping_, source_);
    if (!reader.ok()) throw py::value_error(reader.status().message());
    caselink::io::InputRow row;
    while ((*reader)->Next(&row)) {
      const int64_t r = first_row + out.rows++;
      // The line of one CSV file of the whole DataFrame, as an ingest of it names it.
      const std::string where = name_ + ":" + std::to_string(r + 2);
      std::vector<caselink::Record> records;
      for (caselink::io::RawEntity& raw : row.entities) {
        if (!row.ok) break;
        caselink::Record record;
        if (!caselink::io::BuildRecord(std::move(raw), "", &record, &row.error, &row.warnings))
          row.ok = false;
        else
          records.push_back(std::move(record));
      }
      if (!row.ok) {
        out.rejected.push_back(where + ": " + row.error.field + ": " + row.error.reason + " (row rejected)");
        continue;
      }
      for (const caselink::io::RowError& w : row.warnings) {
        out.warnings.push_back(where + ": " + w.field + ": " + w.reason + " (row kept)");
      }
      for (size_t k = 0; k < records.size(); ++k) {
        caselink::Record& record = records[k];
        record.source = caselink::Interned(source_);
        const int64_t pos = r * per_row_ + static_cast<int64_t>(k);
        record.seq = pos + 1;
        out.pos.push_back(pos);
        out.rec.push_back(EncodeRecord(record));
        out.id.push_back(record.id);
        out.lone.push_back(caselink::LoneEntityId(record));
        if (!keys) continue;
        for (const auto& [key, cap] : caselink::PersonBlockingKeys(record)) {
          const auto [h1, h2] = Hash128(key);
          out.bh1.push_back(h1);
          out.bh2.push_back(h2);
          out.bcap.push_back(static_cast<int64_t>(cap));
          out.bpos.push_back(pos);
        }
        for (const std::string& key : caselink::ExactKeys(record)) {
          const auto [h1, h2] = Hash128(key);
          out.eh1.push_back(h1);
          out.eh2.push_back(h2);
          out.epos.push_back(pos);
        }
      }
    }
    if (!(*reader)->status().ok()) throw std::runtime_error((*reader)->status().message());
    return out;
  }

 private:
  std::string toml_, source_, header_, name_;
  caselink::CsvMapping mapping_;
  int64_t per_row_ = 1;
};

class Model {
 public:
  explicit Model(const std::string& json) : json_(json) {
    caselink::Result<caselink::MatchModel> m = caselink::MatchModel::FromJson(json);
    if (!m.ok()) throw py::value_error("model: " + m.status().message());
    model_ = std::move(m).value();
  }
  const std::string& json() const { return json_; }
  const caselink::MatchModel& model() const { return model_; }

 private:
  std::string json_;
  caselink::MatchModel model_;
};

// Calls fn(members, count) for each group of rows agreeing on (x, y), the
// group's rows (indices) in position order, groups in key order.
template <typename Fn>
void ForEachKeyGroup(const uint64_t* x, const uint64_t* y, const int64_t* p, size_t n, Fn&& fn) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t i, size_t j) {
    return x[i] != x[j] ? x[i] < x[j] : y[i] != y[j] ? y[i] < y[j] : p[i] < p[j];
  });
  for (size_t start = 0; start < n;) {
    size_t end = start;
    while (end < n && x[order[end]] == x[order[start]] && y[order[end]] == y[order[start]]) ++end;
    fn(order.data() + start, end - start);
    start = end;
  }
}

struct Scored {
  std::vector<int64_t> a, b;
  std::vector<double> log_odds, probability;
};

// The probable pairs among candidates (pos[i], pos[n + i]), records[k] the
// record at pos[k].
Scored Score(const caselink::MatchModel& model, const std::vector<std::string_view>& records,
             const std::vector<int64_t>& pos, double threshold) {
  const size_t n = pos.size() / 2;
  std::unordered_map<int64_t, int> local;
  const caselink::Corpus corpus = CorpusOf(records, pos, &local);
  std::vector<int64_t> global(corpus.records.size());
  for (const auto& [g, l] : local) global[static_cast<size_t>(l)] = g;
  std::vector<std::pair<int, int>> candidates;
  candidates.reserve(n);
  for (size_t i = 0; i < n; ++i) candidates.emplace_back(local.at(pos[i]), local.at(pos[n + i]));
  Scored out;
  for (const caselink::ProbablePair& q : caselink::ProbablePairs(corpus, model, candidates, threshold)) {
    out.a.push_back(global[static_cast<size_t>(q.a)]);
    out.b.push_back(global[static_cast<size_t>(q.b)]);
    out.log_odds.push_back(q.log_odds);
    out.probability.push_back(q.probability);
  }
  return out;
}

using Positions = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;

}  // namespace

void BindDaskParts(py::module_& m) {
  py::class_<RowMapping>(m, "RowMapping", "How rows of a DataFrame become records (caselink.dask)")
      .def(py::init<std::string, std::string, std::string, std::string>(), py::arg("toml"), py::arg("source"),
           py::arg("header"), py::arg("name"))
      .def_property_readonly("per_row", &RowMapping::per_row)
      .def(
          "read",
          [](const RowMapping& self, std::string body, int64_t first_row, bool keys) {
            RowMapping::Read r;
            {
              py::gil_scoped_release released;
              r = self.Records(std::move(body), first_row, keys);
            }
            py::dict d;
            d["pos"] = ToArray(r.pos);
            py::list rec;
            for (const std::string& b : r.rec) rec.append(py::bytes(b));
            d["rec"] = rec;
            d["id"] = r.id;
            d["lone"] = r.lone;
            d["bh1"] = ToArray(r.bh1);
            d["bh2"] = ToArray(r.bh2);
            d["bcap"] = ToArray(r.bcap);
            d["bpos"] = ToArray(r.bpos);
            d["eh1"] = ToArray(r.eh1);
            d["eh2"] = ToArray(r.eh2);
            d["epos"] = ToArray(r.epos);
            d["rejected"] = r.rejected;
            d["warnings"] = r.warnings;
            d["rows"] = r.rows;
            return d;
          },
          py::arg("body"), py::arg("first_row"), py::arg("keys") = true,
          "Records of CSV rows (no header) from DataFrame row first_row on: positions, records (bytes), ids, lone "
          "entity ids, blocking and exact key hashes, rejected rows and values that did not read")
      .def(py::pickle([](const RowMapping& self) { return self.State(); },
                      [](const py::tuple& t) {
                        return RowMapping(t[0].cast<std::string>(), t[1].cast<std::string>(), t[2].cast<std::string>(),
                                          t[3].cast<std::string>());
                      }));

  py::class_<Model>(m, "Model", "A person-matching model (its JSON, as `caselink model show --json` prints it)")
      .def(py::init<const std::string&>(), py::arg("json"))
      .def("to_json", &Model::json)
      .def(py::pickle([](const Model& self) { return self.json(); },
                      [](const std::string& json) { return Model(json); }));

  m.def(
      "probable_pairs",
      [](const Model& model, const py::list& records_a, const Positions& a, const py::list& records_b,
         const Positions& b, double threshold) {
        if (a.size() != b.size() || static_cast<py::ssize_t>(records_a.size()) != a.size() ||
            static_cast<py::ssize_t>(records_b.size()) != b.size()) {
          throw py::value_error("probable_pairs: records and positions differ in length");
        }
        std::vector<std::string_view> records = BytesOf(records_a, "records_a"), more = BytesOf(records_b, "records_b");
        records.insert(records.end(), more.begin(), more.end());
        std::vector<int64_t> pos = FromArray<int64_t>(a), pb = FromArray<int64_t>(b);
        pos.insert(pos.end(), pb.begin(), pb.end());
        Scored out;
        {
          py::gil_scoped_release released;
          out = Score(model.model(), records, pos, threshold);
        }
        return py::make_tuple(ToArray(out.a), ToArray(out.b), ToArray(out.log_odds), ToArray(out.probability));
      },
      py::arg("model"), py::arg("records_a"), py::arg("a"), py::arg("records_b"), py::arg("b"), py::arg("threshold"),
      "The probable pairs among candidates (a[i], b[i]) of records (bytes): (a, b, log_odds, probability)");

  m.def(
      "probable_pairs_in",
      [](const Model& model, const py::list& tables, const Positions& a, const Positions& b, double threshold) {
        if (a.size() != b.size()) throw py::value_error("probable_pairs_in: a and b differ in length");
        // Each table: (sorted positions, offsets, bytes); tables in position order, each covering a range.
        struct Table {
          const int64_t* pos;
          const int64_t* off;
          size_t rows;
          std::string_view bytes;
        };
        std::vector<Table> held;
        std::vector<py::object> keep;
        for (const py::handle& t : tables) {
          py::tuple tuple = py::reinterpret_borrow<py::tuple>(t);
          if (tuple.size() != 3 || !PyBytes_Check(tuple[2].ptr())) {
            throw py::type_error("probable_pairs_in: a table is (positions, offsets, bytes)");
          }
          auto pos = tuple[0].cast<Positions>();
          auto off = tuple[1].cast<Positions>();
          if (off.size() != pos.size() + 1) throw py::value_error("probable_pairs_in: a table's offsets do not fit");
          held.push_back({pos.data(), off.data(), static_cast<size_t>(pos.size()),
                          std::string_view(PyBytes_AS_STRING(tuple[2].ptr()),
                                           static_cast<size_t>(PyBytes_GET_SIZE(tuple[2].ptr())))});
          keep.push_back(pos);
          keep.push_back(off);
        }
        std::vector<int64_t> firsts;
        for (const Table& t : held) firsts.push_back(t.rows ? t.pos[0] : INT64_MAX);
        std::vector<int64_t> pos = FromArray<int64_t>(a), pb = FromArray<int64_t>(b);
        pos.insert(pos.end(), pb.begin(), pb.end());
        Scored out;
        {
          py::gil_scoped_release released;
          std::vector<std::string_view> records(pos.size());
          for (size_t i = 0; i < pos.size(); ++i) {
            // The last table starting at or before the position (empty tables start nowhere).
            size_t k = static_cast<size_t>(std::upper_bound(firsts.begin(), firsts.end(), pos[i]) - firsts.begin());
            while (k > 0 && held[k - 1].rows == 0) --k;
            bool found = false;
            if (k > 0) {
              const Table& t = held[k - 1];
              const size_t at = static_cast<size_t>(std::lower_bound(t.pos, t.pos + t.rows, pos[i]) - t.pos);
              if (at < t.rows && t.pos[at] == pos[i] && t.off[at] >= 0 && t.off[at + 1] >= t.off[at] &&
                  static_cast<size_t>(t.off[at + 1]) <= t.bytes.size()) {
                records[i] =
                    t.bytes.substr(static_cast<size_t>(t.off[at]), static_cast<size_t>(t.off[at + 1] - t.off[at]));
                found = true;
              }
            }
            if (!found)
              throw std::runtime_error("probable_pairs_in: record " + std::to_string(pos[i]) + " is in no table");
          }
          out = Score(model.model(), records, pos, threshold);
        }
        return py::make_tuple(ToArray(out.a), ToArray(out.b), ToArray(out.log_odds), ToArray(out.probability));
      },
      py::arg("model"), py::arg("tables"), py::arg("a"), py::arg("b"), py::arg("threshold"),
      "probable_pairs with the records looked up in tables, each (sorted positions, offsets, bytes): record i of a "
      "table is bytes[offsets[i]:offsets[i+1]]; tables in position order");

  m.def(
      "block_pairs",
      [](const py::array_t<uint64_t, py::array::c_style | py::array::forcecast>& h1,
         const py::array_t<uint64_t, py::array::c_style | py::array::forcecast>& h2, const Positions& cap,
         const Positions& pos) {
        const size_t n = static_cast<size_t>(pos.size());
        if (static_cast<size_t>(h1.size()) != n || static_cast<size_t>(h2.size()) != n ||
            static_cast<size_t>(cap.size()) != n) {
          throw py::value_error("block_pairs: h1, h2, cap and pos differ in length");
        }
        std::vector<int64_t> a, b;
        {
          py::gil_scoped_release released;
          const int64_t* p = pos.data();
          // Every pair of every block of two records up to its cap, as the
          // engine's blocking makes them (person_matcher.cc), once each.
          std::vector<std::pair<int64_t, int64_t>> pairs;
          ForEachKeyGroup(h1.data(), h2.data(), p, n, [&](const size_t* members, size_t size) {
            if (size < 2 || size > static_cast<size_t>(cap.data()[members[0]])) return;
            for (size_t i = 0; i < size; ++i) {
              for (size_t j = i + 1; j < size; ++j) {
                if (p[members[i]] != p[members[j]]) pairs.emplace_back(p[members[i]], p[members[j]]);
              }
            }
          });
          std::sort(pairs.begin(), pairs.end());
          pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
          a.reserve(pairs.size());
          b.reserve(pairs.size());
          for (const auto& [i, j] : pairs) {
            a.push_back(i);
            b.push_back(j);
          }
        }
        return py::make_tuple(ToArray(a), ToArray(b));
      },
      py::arg("h1"), py::arg("h2"), py::arg("cap"), py::arg("pos"),
      "Candidate pairs (a, b), a < b, of the blocks (records agreeing on h1 and h2) of two records up to their cap");

  m.def(
      "key_edges",
      [](const py::array_t<uint64_t, py::array::c_style | py::array::forcecast>& h1,
         const py::array_t<uint64_t, py::array::c_style | py::array::forcecast>& h2, const Positions& pos) {
        const size_t n = static_cast<size_t>(pos.size());
        if (static_cast<size_t>(h1.size()) != n || static_cast<size_t>(h2.size()) != n) {
          throw py::value_error("key_edges: h1, h2 and pos differ in length");
        }
        std::vector<int64_t> a, b;
        {
          py::gil_scoped_release released;
          const int64_t* p = pos.data();
          ForEachKeyGroup(h1.data(), h2.data(), p, n, [&](const size_t* members, size_t size) {
            for (size_t i = 1; i < size; ++i) {
              if (p[members[i]] == p[members[0]]) continue;
              a.push_back(p[members[0]]);
              b.push_back(p[members[i]]);
            }
          });
        }
        return py::make_tuple(ToArray(a), ToArray(b));
      },
      py::arg("h1"), py::arg("h2"), py::arg("pos"),
      "Edges (first, other) joining the records that share an exact key to its first record");

  m.def(
      "components",
      [](const Positions& a, const Positions& b) {
        std::vector<int64_t> xa = FromArray<int64_t>(a), xb = FromArray<int64_t>(b);
        if (xa.size() != xb.size()) throw py::value_error("components: a and b differ in length");
        std::vector<int64_t> nodes, labels;
        {
          py::gil_scoped_release released;
          nodes = xa;
          nodes.insert(nodes.end(), xb.begin(), xb.end());
          std::sort(nodes.begin(), nodes.end());
          nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
          auto index = [&](int64_t v) {
            return static_cast<size_t>(std::lower_bound(nodes.begin(), nodes.end(), v) - nodes.begin());
          };
          std::vector<size_t> parent(nodes.size());
          std::iota(parent.begin(), parent.end(), 0);
          auto find = [&](size_t x) {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
          };
          for (size_t i = 0; i < xa.size(); ++i) {
            size_t x = find(index(xa[i])), y = find(index(xb[i]));
            if (x == y) continue;
            if (y < x) std::swap(x, y);
            parent[y] = x;  // the smallest position labels its part
          }
          labels.resize(nodes.size());
          for (size_t i = 0; i < nodes.size(); ++i) labels[i] = nodes[find(i)];
        }
        return py::make_tuple(ToArray(nodes), ToArray(labels));
      },
      py::arg("a"), py::arg("b"),
      "Connected parts of the graph of edges (a[i], b[i]): (node, label) with "
      "label the part's smallest node");

  m.def(
      "resolve_part",
      [](const Model& model, const py::list& records, const Positions& pos, const Positions& a, const Positions& b,
         double threshold) {
        if (static_cast<py::ssize_t>(records.size()) != pos.size() || a.size() != b.size()) {
          throw py::value_error("resolve_part: records and positions, or a and b, differ in length");
        }
        const std::vector<std::string_view> bytes = BytesOf(records, "records");
        const std::vector<int64_t> p = FromArray<int64_t>(pos), xa = FromArray<int64_t>(a), xb = FromArray<int64_t>(b);
        std::vector<int64_t> out_pos;
        std::vector<std::string> ids, entities, evidence;
        {
          py::gil_scoped_release released;
          std::unordered_map<int64_t, int> local;
          const caselink::Corpus corpus = CorpusOf(bytes, p, &local);
          std::vector<int64_t> global(corpus.records.size());
          for (const auto& [g, l] : local) global[static_cast<size_t>(l)] = g;
          std::vector<std::pair<int, int>> candidates;
          for (size_t i = 0; i < xa.size(); ++i) {
            auto x = local.find(xa[i]), y = local.find(xb[i]);
            if (x == local.end() || y == local.end()) {
              throw std::runtime_error("resolve_part: a pair's record is not in the part");
            }
            candidates.emplace_back(x->second, y->second);
          }
          caselink::ResolveOptions options;
          options.model = &model.model();
          options.threshold = threshold;
          options.candidates = &candidates;
          const caselink::Resolution res = caselink::Resolve(corpus, options);
          for (const caselink::ResolvedEntity& e : res.entities) {
            for (size_t k = 0; k < e.members.size(); ++k) {
              out_pos.push_back(global[static_cast<size_t>(e.members[k])]);
              ids.push_back(corpus.records[static_cast<size_t>(e.members[k])].id);
              entities.push_back(e.id);
              evidence.push_back(e.evidence[k]);
            }
          }
        }
        return py::make_tuple(ToArray(out_pos), ids, entities, evidence);
      },
      py::arg("model"), py::arg("records"), py::arg("pos"), py::arg("a"), py::arg("b"), py::arg("threshold"),
      "Resolves connected parts of records (bytes, positions) whose probable pairs are (a[i], b[i]): "
      "(pos, record_id, entity_id, evidence)");
}
