// The `caselink._native` Python module (pybind11): the engine the command
// runs, called from Python. Vectorised functions copy their inputs into C++
// strings while they hold the GIL, then release it for the work, so threads
// of a notebook or a Dask worker run side by side. Results that the command
// line prints as JSON come back as JSON text; caselink/__init__.py reads them.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sys/mman.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/ingest.h"
#include "caselink/link_scoring.h"
#include "caselink/match_model.h"
#include "caselink/name_compare.h"
#include "caselink/names.h"
#include "caselink/pair_report.h"
#include "caselink/pipeline.h"
#include "caselink/resolve.h"
#include "caselink/screening_json.h"
#include "caselink/store.h"
#include "caselink/string_metrics.h"
#include "caselink/triage_json.h"
#include "caselink/watchlist_store.h"
#include "dask_parts.h"
#include "normalize/metric_symbols.h"

namespace py = pybind11;

namespace {

// A Status that failed becomes the Python exception its code stands for.
void Raise(const caselink::Status& status) {
  switch (status.code()) {
    case caselink::StatusCode::kNotFound: throw py::key_error(status.message());
    case caselink::StatusCode::kInvalidArgument:
    case caselink::StatusCode::kDataError: throw py::value_error(status.message());
    case caselink::StatusCode::kIoError:
    case caselink::StatusCode::kBusy: throw std::runtime_error(status.message());
    default: throw std::runtime_error("caselink internal error: " + status.message());
  }
}

template <typename T>
T Take(caselink::Result<T> result) {
  if (!result.ok()) Raise(result.status());
  return std::move(result).value();
}

// The engine's work (f returns a Result) with the GIL released, so other
// Python threads run meanwhile; a failure is raised once the GIL is back.
template <typename F>
auto WithoutGil(F&& f) {
  std::optional<decltype(f())> result;
  {
    py::gil_scoped_release released;
    result.emplace(f());
  }
  return Take(std::move(*result));
}

// How many items ahead a pass over a million names asks for the next one's
// memory: enough to cover a cache miss behind the work of a few items.
constexpr size_t kAhead = 8;

// n values of a plain type, left unwritten until written (a vector's
// resize zeroes them first), on transparent huge pages when large. Over a
// million pairs, zeroing two 16 MB arrays of views and faulting them in 4 KB
// pages took a quarter of the time on every call.
template <typename T>
class LargeArray {
 public:
  explicit LargeArray(size_t n) {
    if (n == 0) return;
    constexpr size_t kHuge = size_t{2} << 20;
    const size_t bytes = (n * sizeof(T) + alignof(T) - 1) / alignof(T) * alignof(T);  // as aligned_alloc asks
    const bool huge = bytes >= kHuge;
    const size_t size = huge ? (bytes + kHuge - 1) / kHuge * kHuge : bytes;
    void* p = std::aligned_alloc(huge ? kHuge : alignof(T), size);
    if (p == nullptr) throw std::bad_alloc();
    if (huge) (void)madvise(p, size, MADV_HUGEPAGE);  // advice: where refused, 4 KB pages as before
    values_.reset(static_cast<T*>(p));
  }
  T* data() { return values_.get(); }
  T& operator[](size_t i) { return values_[i]; }
  const T& operator[](size_t i) const { return values_[i]; }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T[], Free> values_;
};

// n names' places in memory (LargeArray).
class Views {
 public:
  explicit Views(size_t n) : n_(n), views_(n) {}
  size_t size() const { return n_; }
  void Set(size_t i, std::string_view text) { views_[i] = {text.data(), text.size()}; }
  std::string_view operator[](size_t i) const { return {views_[i].data, views_[i].size}; }
  const char* Data(size_t i) const { return views_[i].data; }

 private:
  struct View {
    const char* data;
    size_t size;
  };
  size_t n_ = 0;
  LargeArray<View> views_;
};

// A sequence of names as UTF-8 views, without a copy of each: a str's view
// is CPython's own UTF-8 form of it (made once, kept by the str), alive while
// `keep` holds the sequence; a numpy array of fixed-width unicode (dtype
// '<U') is encoded from its buffer into `arena`. pybind11's generic cast of
// each item cost more than the comparison.
struct Texts {
  Views views{0};
  py::object keep;
  LargeArray<char> arena{0};        // a '<U' array's names, as UTF-8
  std::vector<std::string> others;  // items neither str nor bytes, as str() writes them

  Texts(const py::handle& values, const char* what) {
    if (py::isinstance<py::str>(values))
      throw py::type_error(std::string(what) + ": expected a sequence of names, not one");
    if (py::isinstance<py::array>(values)) {
      py::array array = py::reinterpret_borrow<py::array>(values);
      if (array.dtype().kind() == 'U' && array.ndim() == 1) {
        FromUnicodeArray(array);
        return;
      }
    }
    size_t n = 0;
    PyObject** items = nullptr;
    if (py::isinstance<py::array>(values) && py::reinterpret_borrow<py::array>(values).dtype().kind() == 'O' &&
        py::reinterpret_borrow<py::array>(values).ndim() == 1 &&
        py::reinterpret_borrow<py::array>(values).strides(0) == static_cast<py::ssize_t>(sizeof(PyObject*))) {
      // An object array's own pointers: no list of a million references made first.
      py::array array = py::reinterpret_borrow<py::array>(values);
      keep = array;
      n = static_cast<size_t>(array.shape(0));
      items = static_cast<PyObject**>(const_cast<void*>(array.data()));
    } else {
      keep = py::reinterpret_steal<py::object>(PySequence_Fast(values.ptr(), what));
      if (!keep) throw py::error_already_set();
      n = static_cast<size_t>(PySequence_Fast_GET_SIZE(keep.ptr()));
      items = PySequence_Fast_ITEMS(keep.ptr());
    }
    views = Views(n);
    std::vector<std::pair<size_t, std::string>> converted;
    for (size_t i = 0; i < n; ++i) {
      // Names repeated across a frame are one str each, scattered over the
      // heap: a cache miss an item. Asked for a few items ahead, the misses
      // overlap (with Pairwise's, a million pairs 2.4 -> 4.2M/s).
      if (i + kAhead < n) __builtin_prefetch(items[i + kAhead]);
      PyObject* v = items[i];
      if (v == Py_None) {
        views.Set(i, {});
      } else if (PyUnicode_Check(v) && PyUnicode_IS_COMPACT_ASCII(v)) {
        // ASCII is its own UTF-8: the characters as stored.
        views.Set(i, {static_cast<const char*>(PyUnicode_DATA(v)), static_cast<size_t>(PyUnicode_GET_LENGTH(v))});
      } else if (PyUnicode_Check(v)) {
        Py_ssize_t size = 0;
        const char* text = PyUnicode_AsUTF8AndSize(v, &size);
        if (text == nullptr) throw py::error_already_set();
        views.Set(i, {text, static_cast<size_t>(size)});
      } else if (PyBytes_Check(v)) {
        views.Set(i, {PyBytes_AS_STRING(v), static_cast<size_t>(PyBytes_GET_SIZE(v))});
      } else {
        views.Set(i, {});
        converted.emplace_back(i, py::str(v).cast<std::string>());
      }
    }
    others.reserve(converted.size());  // no reallocation once views point into it
    for (auto& [i, text] : converted) {
      others.push_back(std::move(text));
      views.Set(i, others.back());
    }
  }

 private:
  void FromUnicodeArray(const py::array& array) {
    const size_t n = static_cast<size_t>(array.shape(0));
    const size_t width = static_cast<size_t>(array.itemsize()) / 4;
    const auto stride = static_cast<size_t>(array.strides(0));
    const auto* base = static_cast<const char*>(array.data());
    auto item = [&](size_t i) { return reinterpret_cast<const uint32_t*>(base + i * stride); };
    // Written once into one buffer: sized for ASCII (a byte a code point),
    // and sized again by counting only when a name needs more (appended one
    // code point at a time, a '<U' array was read at half an object array's
    // rate; counting first as well, a second pass over all n x width code
    // points).
    if (!Encode(n, width, n * width, item)) {
      size_t bytes = 0;
      for (size_t i = 0; i < n; ++i) {
        const uint32_t* cps = item(i);
        for (size_t k = 0; k < width && cps[k] != 0; ++k) bytes += caselink::metrics::Utf8Length(cps[k]);
      }
      Encode(n, width, bytes, item);
    }
  }

  // The names as UTF-8 into a buffer of `bytes`, false (and nothing kept)
  // where they need more.
  template <typename Item>
  bool Encode(size_t n, size_t width, size_t bytes, const Item& item) {
    arena = LargeArray<char>(bytes);
    views = Views(n);
    char* out = arena.data();
    char* const end = out + bytes;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t* cps = item(i);
      char* const start = out;
      for (size_t k = 0; k < width && cps[k] != 0; ++k) {
        if (end - out < 4 && static_cast<size_t>(end - out) < caselink::metrics::Utf8Length(cps[k])) return false;
        out = caselink::metrics::WriteUtf8(cps[k], out);
      }
      views.Set(i, {start, static_cast<size_t>(out - start)});
    }
    return true;
  }
};

// f over pairs of equal-length sequences, with the GIL released.
template <typename F>
py::array_t<double> Pairwise(const py::object& a, const py::object& b, F f) {
  const Texts xs(a, "a"), ys(b, "b");
  if (xs.views.size() != ys.views.size()) {
    throw py::value_error("a and b differ in length: " + std::to_string(xs.views.size()) + " and " +
                          std::to_string(ys.views.size()));
  }
  py::array_t<double> out(static_cast<py::ssize_t>(xs.views.size()));
  double* data = out.mutable_data();
  {
    py::gil_scoped_release released;
    const size_t n = xs.views.size();
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) {  // the names' characters, as scattered as their objects (Texts)
        __builtin_prefetch(xs.views.Data(i + kAhead));
        __builtin_prefetch(ys.views.Data(i + kAhead));
      }
      data[i] = f(xs.views[i], ys.views[i]);
    }
  }
  return out;
}

// One store, as `caselink --store PATH` opens it.
class PyStore {
 public:
  explicit PyStore(const std::string& path) : store_(Take(caselink::OpenSqliteStore(path))) {}

  py::dict Ingest(const std::string& path, const std::string& source, const std::string& mapping,
                  const std::string& rejects) {
    caselink::IngestOptions options;
    options.source = source;
    options.mapping_path = mapping;
    options.rejects_path = rejects;
    options.actor = "python";
    const caselink::IngestSummary s = WithoutGil([&] { return caselink::IngestFile(*store_, path, options); });
    py::dict d;
    d["read"] = s.read;
    d["accepted"] = s.accepted;
    d["rejected"] = s.rejected;
    d["values_kept_raw"] = s.values_kept_raw;
    d["values_dropped"] = s.values_dropped;
    d["rejects_path"] = s.rejects_path;
    d["messages"] = s.messages;
    return d;
  }

  // A full resolve; with `model_json`, under that person model (as fitted
  // elsewhere: a sample, another store) rather than one fitted here.
  py::dict Resolve(const std::string& model_json) {
    std::optional<caselink::MatchModel> model;
    if (!model_json.empty()) model = Take(caselink::MatchModel::FromJson(model_json));
    struct Summary {
      size_t records = 0, entities = 0;
      int64_t probabilistic = 0;
    };
    const Summary s = WithoutGil([&]() -> caselink::Result<Summary> {
      caselink::ResolveOptions options;
      if (model) options.model = &*model;
      caselink::Result<caselink::Analysis> a = caselink::ResolveStore(*store_, options);
      if (!a.ok()) return a.status();
      return Summary{a->corpus.records.size(), a->graph.nodes.size(), a->resolution.probabilistic_joins};
    });
    py::dict d;
    d["records"] = s.records;
    d["entities"] = s.entities;
    d["probabilistic_joins"] = s.probabilistic;
    return d;
  }

  // (record_id, entity_id, evidence) for every record, as `export clusters`.
  std::vector<std::tuple<std::string, std::string, std::string>> Clusters() {
    using Rows = std::vector<std::tuple<std::string, std::string, std::string>>;
    return WithoutGil([&]() -> caselink::Result<Rows> {
      Rows rows;
      caselink::Status st = store_->ScanMembership(
          [&](const caselink::Membership& m) { rows.emplace_back(m.record_id, m.entity_id, m.evidence); });
      if (!st.ok()) return st;
      (void)store_->Audit("python", "export clusters", "{}");  // as `caselink export clusters` does
      return rows;
    });
  }

  // Triage as `caselink triage --json` answers it (audited as the python actor).
  std::string Triage(int limit, const std::string& clearance, double min_score) {
    const caselink::Clearance c =
        clearance.empty() ? caselink::Clearance::All() : Take(caselink::Clearance::Parse(clearance));
    caselink::TriageOptions options;
    options.limit = limit;
    options.min_score = min_score;
    options.actor = "python";
    return WithoutGil([&]() -> caselink::Result<std::string> {
      caselink::Result<caselink::TriageResult> r = caselink::Triage(*store_, c, options);
      if (!r.ok()) return r.status();
      return caselink::TriageJson(r.value()).dump();
    });
  }

  // The person-matching model of the last resolve, as `model show` prints
  // it: (comparison, level, m, u, match weight) for every level, and the
  // prior's log-odds.
  py::tuple Model() {
    std::optional<std::string> text = Take(store_->LoadModel("person"));
    if (!text) throw py::key_error("no model in the store yet: resolve first");
    const caselink::MatchModel m = Take(caselink::MatchModel::FromJson(*text));
    std::vector<std::tuple<std::string, std::string, double, double, double>> levels;
    for (int c = 0; c < caselink::kComparisons; ++c) {
      const caselink::ComparisonInfo& info = caselink::InfoOf(c);
      for (int l = info.levels - 1; l >= 0; --l) {
        levels.emplace_back(info.name, info.level_words[l], m.m[c][l], m.u[c][l], m.Weight(c, l));
      }
    }
    return py::make_tuple(levels, m.PriorWeight());
  }

  // The waterfall of match weights of two Person records under the stored
  // model, as `caselink explain --pair A B` prints it (audited as the
  // python actor): (prior, [(comparison, level, a, b, weight)], log-odds,
  // probability).
  py::tuple ExplainPair(const std::string& record_a, const std::string& record_b) {
    const caselink::PairExplanation e = WithoutGil([&]() -> caselink::Result<caselink::PairExplanation> {
      caselink::Result<caselink::PairReport> report = caselink::ExplainStoredPair(*store_, record_a, record_b);
      if (!report.ok()) return report.status();
      nlohmann::json audit = {{"clearance", caselink::Clearance::All().ToString()}, {"pair", {record_a, record_b}}};
      if (caselink::Status st = store_->Audit("python", "explain-pair", audit.dump()); !st.ok()) return st;
      return std::move(report->waterfall);
    });
    std::vector<std::tuple<std::string, std::string, std::string, std::string, double>> steps;
    for (const caselink::WeightStep& s : e.steps) steps.emplace_back(s.comparison, s.level, s.a, s.b, s.weight);
    return py::make_tuple(e.prior, steps, e.log_odds, e.probability);
  }

  // The person-matching model of the last resolve as JSON (`model show --json`).
  std::string ModelJson() {
    std::optional<std::string> text = Take(store_->LoadModel("person"));
    if (!text) throw py::key_error("no model in the store yet: resolve first");
    return *text;
  }

  // Screens queries (JSON text of a list of objects, as POST /v1/screen takes
  // them: name, birth_date, countries, gender, documents, schema) against the
  // lists the clearance may see. JSON text of a list, one entry a query:
  // {"hits": [...]} as `screen --json` writes hits, or {"error": ...}, with
  // "warning" where a value did not read. Audited as `screen.queries`.
  std::string Screen(const std::string& queries_json, const std::string& clearance, int limit, double min_score) {
    const caselink::Clearance c =
        clearance.empty() ? caselink::Clearance::All() : Take(caselink::Clearance::Parse(clearance));
    nlohmann::json queries = nlohmann::json::parse(queries_json, nullptr, /*allow_exceptions=*/false);
    if (!queries.is_array()) throw py::value_error("queries: expected a JSON list of objects");
    caselink::ScreenOptions options;
    options.limit = limit;
    options.min_score = min_score;
    return WithoutGil([&]() -> caselink::Result<std::string> {
      caselink::Result<const caselink::ScreenIndex*> index = IndexFor(c);
      if (!index.ok()) return index.status();
      nlohmann::json out = nlohmann::json::array();
      for (const nlohmann::json& q : queries) {
        nlohmann::json answer = nlohmann::json::object();
        std::string warning;
        caselink::Result<caselink::ScreenQuery> query = caselink::ScreenQueryFromJson(q, &warning);
        if (!query.ok()) {
          answer["error"] = query.status().message();
        } else {
          nlohmann::json hits = nlohmann::json::array();
          for (const caselink::ScreenHit& h : (*index)->Search(*query, options))
            hits.push_back(ScreenHitJson(**index, h));
          answer["hits"] = std::move(hits);
        }
        if (!warning.empty()) answer["warning"] = warning;
        out.push_back(std::move(answer));
      }
      (void)store_->Audit("python", "screen.queries", std::to_string(queries.size()) + " queries as " + c.ToString());
      return out.dump();
    });
  }

 private:
  // The screening index of the lists `clearance` may see, held while they
  // stay as they are in the store (as `serve` holds it): a Dask worker
  // screens partition after partition without reading the lists again.
  caselink::Result<const caselink::ScreenIndex*> IndexFor(const caselink::Clearance& clearance) {
    caselink::Result<std::vector<caselink::WatchlistInfo>> lists = store_->ListWatchlists();
    if (!lists.ok()) return lists.status();
    std::string seen;
    for (const caselink::WatchlistInfo& l : *lists) {
      if (clearance.Allows(l.markings)) seen += l.name + "\t" + std::to_string(l.version) + "\t" + l.loaded_at + "\n";
    }
    Held& held = indexes_[clearance.ToString()];
    if (!held.index || held.lists != seen) {
      caselink::Result<caselink::ScreenIndex> index = caselink::OpenScreenIndex(*store_, clearance);
      if (!index.ok()) return index.status();
      held.lists = seen;
      held.index = std::make_unique<caselink::ScreenIndex>(std::move(index).value());
    }
    return static_cast<const caselink::ScreenIndex*>(held.index.get());
  }

  struct Held {
    std::string lists;
    std::unique_ptr<caselink::ScreenIndex> index;
  };
  std::unique_ptr<caselink::Store> store_;
  std::map<std::string, Held> indexes_;  // by clearance
};

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "caselink's engine from Python: names, string metrics, stores (see docs/python.md)";
  BindDaskParts(m);

  m.def(
      "normalize",
      [](const std::string& name) {
        const caselink::ParsedName p = caselink::ParseName(name);
        py::list tokens;
        for (const caselink::NameToken& t : p.tokens) {
          py::dict d;
          d["text"] = t.text;
          d["romanized"] = t.romanized;
          d["skeleton"] = t.skeleton;
          d["script"] = std::string(caselink::ScriptName(t.script));
          d["role"] = std::string(caselink::NameRoleName(t.role));
          tokens.append(d);
        }
        py::dict out;
        out["script"] = std::string(caselink::ScriptName(p.script));
        out["tokens"] = tokens;
        out["match_key"] = caselink::NameMatchKey(name);
        return out;
      },
      py::arg("name"), "A name's script, tokens (romanised, skeleton, role) and match key");

  m.def(
      "compare", [](const std::string& a, const std::string& b) { return caselink::CompareNames(a, b).score; },
      py::arg("a"), py::arg("b"), "The name comparison score in [0, 1] (1: the same name however written)");
  m.def(
      "compare_many",
      [](const py::object& a, const py::object& b) {
        return Pairwise(a, b,
                        [](std::string_view x, std::string_view y) { return caselink::CompareNames(x, y).score; });
      },
      py::arg("a"), py::arg("b"), "compare over two sequences of names of one length: a numpy array of scores");
  m.def(
      "compare_explained",
      [](const std::string& a, const std::string& b) {
        const caselink::NameComparison c = caselink::CompareNames(a, b);
        py::list alignment;
        for (const caselink::TokenMatch& t : c.alignment) alignment.append(py::make_tuple(t.a, t.b, t.score, t.how));
        return py::make_tuple(c.score, alignment);
      },
      py::arg("a"), py::arg("b"), "The score and its token alignment: (a token, b token, score, how)");

  m.def(
      "jaro_winkler_many",
      [](const py::object& a, const py::object& b) {
        return Pairwise(a, b, [](std::string_view x, std::string_view y) { return caselink::JaroWinkler(x, y); });
      },
      py::arg("a"), py::arg("b"));
  m.def(
      "levenshtein_many",
      [](const py::object& a, const py::object& b) {
        return Pairwise(a, b, [](std::string_view x, std::string_view y) {
          return static_cast<double>(caselink::Levenshtein(x, y));
        });
      },
      py::arg("a"), py::arg("b"));
  m.def("jaro_winkler", [](const std::string& a, const std::string& b) { return caselink::JaroWinkler(a, b); });
  m.def("levenshtein", [](const std::string& a, const std::string& b) { return caselink::Levenshtein(a, b); });

  py::class_<PyStore>(m, "Store", "A caselink store (SQLite), as `caselink --store PATH` opens it")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def("ingest", &PyStore::Ingest, py::arg("path"), py::arg("source"), py::arg("mapping") = "",
           py::arg("rejects") = "", "Ingest FtM JSON lines, or CSV through a TOML mapping; a summary dict")
      .def("resolve", &PyStore::Resolve, py::arg("model_json") = "",
           "A full resolve (under the person model given as JSON, else one fitted on the store); a summary dict")
      .def("model_json", &PyStore::ModelJson, "The person model of the last resolve, as JSON")
      .def("explain_pair_steps", &PyStore::ExplainPair, py::arg("record_a"), py::arg("record_b"),
           "(prior, [(comparison, level, a, b, weight)], log_odds, probability) of two Person records")
      .def("clusters", &PyStore::Clusters, "(record_id, entity_id, evidence) for every record")
      .def("model", &PyStore::Model, "([(comparison, level, m, u, weight)], prior log-odds) of the last resolve")
      .def("screen_json", &PyStore::Screen, py::arg("queries_json"), py::arg("clearance") = "", py::arg("limit") = 10,
           py::arg("min_score") = 0.5,
           "Screens queries (JSON list) against the store's watchlists; JSON list of answers")
      .def("triage_json", &PyStore::Triage, py::arg("limit") = 100, py::arg("clearance") = "",
           py::arg("min_score") = caselink::kDefaultMinScore, "Triage as `caselink triage --json` answers it");
}
