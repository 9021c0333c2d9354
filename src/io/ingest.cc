#include "caselink/ingest.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "caselink/mapping.h"
#include "progress.h"
#include "row_reader.h"

namespace caselink {
namespace {

// Writes rejected rows as JSON lines. The file is created at the first reject,
// so a clean run leaves none behind (a stale one from an earlier run is removed).
class RejectsWriter {
 public:
  explicit RejectsWriter(std::string path) : path_(std::move(path)) {}

  // A row rejected whole: {"line", "field", "reason", "input"}.
  Status Write(const io::InputRow& row) {
    nlohmann::json j;
    j["line"] = row.line;
    j["field"] = row.error.field;
    j["reason"] = row.error.reason;
    j["input"] = row.text;
    return Put(j);
  }

  // A value of a stored row that did not read: {"line", "field", "value",
  // "reason", "row": "kept", "value_kept": true|false}.
  Status WriteValue(const io::InputRow& row, const io::RowError& fault) {
    nlohmann::json j;
    j["line"] = row.line;
    j["field"] = fault.field;
    j["value"] = fault.value;
    j["reason"] = fault.reason;
    j["row"] = "kept";
    j["value_kept"] = fault.kept;
    return Put(j);
  }

  Status Put(const nlohmann::json& j) {
    if (!out_.is_open()) {
      out_.open(path_, std::ios::binary | std::ios::trunc);
      if (!out_) return Status::IoError("cannot write rejects file '" + path_ + "'");
    }
    out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    if (!out_) return Status::IoError("cannot write rejects file '" + path_ + "'");
    return Status::Ok();
  }

  Status Close() {
    if (out_.is_open()) {
      out_.close();
      if (!out_) return Status::IoError("cannot finish rejects file '" + path_ + "'");
    }
    return Status::Ok();
  }

 private:
  std::string path_;
  std::ofstream out_;
};

std::string Describe(const std::string& path, const io::InputRow& row) {
  std::string msg = path + ":" + std::to_string(row.line) + ": ";
  if (!row.error.field.empty()) msg += row.error.field + ": ";
  return msg + row.error.reason + " (row rejected)";
}

// One input row, parsed and normalised into the records it makes.
struct BuiltRow {
  io::InputRow row;
  std::vector<Record> records;
  // CanonicalJson of each record, made on whichever thread has time: empty
  // when the worker left it to the store thread.
  std::vector<std::string> canonical;
  int64_t bytes_read = 0;
};

// Reads and builds rows on a worker thread, handing them over in chunks
// through a small bounded queue. The worker stops at the end of the input or
// when the pipeline is destroyed (an early return on a store error).
class RowPipeline {
 public:
  RowPipeline(io::RowReader& reader, std::string default_region)
      : reader_(reader), region_(std::move(default_region)), worker_([this] { Produce(); }) {}

  ~RowPipeline() {
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }

  // The next row in input order, or nullptr at the end. Valid until the next call.
  BuiltRow* Next() {
    if (++pos_ < current_.size()) return &current_[pos_];
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) return nullptr;
    current_ = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    pos_ = 0;
    return &current_[0];
  }

  // Whether the row Next() returned last starts a chunk, and the chunk.
  bool AtChunkStart() const { return pos_ == 0; }
  const std::vector<BuiltRow>& Chunk() const { return current_; }

  // The reader's final status, once Next() has returned nullptr.
  Status Finish() { return reader_.status(); }

 private:
  static constexpr size_t kChunkRows = 256;
  static constexpr size_t kMaxChunks = 8;

  void Produce() {
    std::vector<BuiltRow> chunk;
    auto hand_over = [&]() -> bool {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [&] { return ready_.size() < kMaxChunks || cancelled_; });
      if (cancelled_) return false;
      ready_.push_back(std::move(chunk));
      chunk.clear();
      changed_.notify_all();
      return true;
    };
    BuiltRow built;
    bool canonical = false;  // decided per chunk, not per row: it takes the lock
    while (reader_.Next(&built.row)) {
      if (chunk.empty()) canonical = StoreIsBehind();
      Build(built, canonical);
      built.bytes_read = reader_.bytes_read();
      chunk.push_back(std::move(built));
      built = BuiltRow{};
      if (chunk.size() >= kChunkRows && !hand_over()) return;
    }
    if (!chunk.empty() && !hand_over()) return;
    std::lock_guard lock(mu_);
    done_ = true;
    changed_.notify_all();
  }

  // Whether the store thread is the slower one (the queue is filling up), so
  // the worker should take over more of the work.
  bool StoreIsBehind() {
    std::lock_guard lock(mu_);
    return ready_.size() >= kMaxChunks / 2;
  }

  void Build(BuiltRow& built, bool canonical) {
    io::InputRow& row = built.row;
    for (io::RawEntity& raw : row.entities) {
      if (!row.ok) break;
      Record record;
      if (!io::BuildRecord(std::move(raw), region_, &record, &row.error, &row.warnings)) {
        row.ok = false;
        break;
      }
      built.canonical.push_back(canonical ? CanonicalJson(record) : std::string());
      built.records.push_back(std::move(record));
    }
    if (!row.ok) {
      built.records.clear();
      built.canonical.clear();
    }
  }

  io::RowReader& reader_;
  const std::string region_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::vector<BuiltRow>> ready_;
  bool done_ = false;
  bool cancelled_ = false;
  std::vector<BuiltRow> current_;
  size_t pos_ = 0;
  std::thread worker_;  // last: starts once everything above is constructed
};

}  // namespace

Result<IngestSummary> IngestFile(Store& store, const std::string& path, const IngestOptions& options) {
  if (options.source.empty()) return Status::InvalidArgument("a source name is required (--source NAME)");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("cannot read '" + path + "': no such file");
  }
  int64_t size = static_cast<int64_t>(std::filesystem::file_size(path, ec));

  std::optional<CsvMapping> mapping;
  Result<std::unique_ptr<io::RowReader>> reader = Status::Internal("unset");
  if (!options.mapping_path.empty()) {
    Result<CsvMapping> m = LoadCsvMapping(options.mapping_path);
    if (!m.ok()) return m.status();
    mapping = std::move(m).value();
    reader = io::OpenMappedCsv(path, *mapping, options.source);
  } else {
    reader = io::OpenFtmJsonLines(path);
  }
  if (!reader.ok()) return reader.status();

  // A source is registered only when one of its rows is stored: a file
  // rejected whole leaves no source behind (with markings nobody chose).
  Result<std::vector<Source>> known = store.ListSources();
  if (!known.ok()) return known.status();
  const bool new_source =
      std::none_of(known->begin(), known->end(), [&](const Source& s) { return s.name == options.source; });

  IngestSummary summary;
  summary.path = path;
  summary.rejects_path = options.rejects_path.empty() ? path + ".rejects.jsonl" : options.rejects_path;
  std::filesystem::remove(summary.rejects_path, ec);
  RejectsWriter rejects(summary.rejects_path);
  io::Progress progress("ingest " + std::filesystem::path(path).filename().string(), size, options.progress);

  auto reject = [&](const io::InputRow& row) -> Status {
    ++summary.rejected;
    if (summary.messages.size() < 10) summary.messages.push_back(Describe(path, row));
    return rejects.Write(row);
  };

  CASELINK_RETURN_IF_ERROR(store.Begin());
  auto fail = [&](const Status& st) {
    (void)store.Rollback();
    return st;
  };
  Result<Source> source = store.EnsureSource(options.source, options.markings, options.reliability);
  if (!source.ok()) return fail(source.status());
  // Reading, parsing and normalising (libphonenumber, ICU) run on a second
  // thread, a chunk of rows ahead of the store writes on this one; rows are
  // stored, rejected and reported in input order all the same.
  RowPipeline rows(*reader.value(), options.default_region);
  int64_t in_batch = 0;
  BuiltRow* built = nullptr;
  while ((built = rows.Next()) != nullptr) {
    io::InputRow& row = built->row;
    std::vector<Record>& records = built->records;
    ++summary.read;
    progress.Update(built->bytes_read, summary.read);
    if (rows.AtChunkStart()) {
      // The chunk's records are looked up at once where the store is a
      // server (a round trip each was most of a PostgreSQL ingest).
      std::vector<std::string> ids;
      for (const BuiltRow& b : rows.Chunk()) {
        for (const Record& r : b.records) ids.push_back(r.id);
      }
      if (Status st = store.PrefetchRecords(ids); !st.ok()) return fail(st);
    }
    if (!row.ok) {
      if (Status st = reject(row); !st.ok()) return fail(st);
      continue;
    }
    // A row's entities are stored together or not at all (a savepoint undoes
    // the first when the second is refused).
    bool stored = true;
    if (records.size() > 1) {
      if (Status st = store.Savepoint(); !st.ok()) return fail(st);
    }
    int64_t counts[3] = {0, 0, 0};
    for (size_t i = 0; i < records.size(); ++i) {
      Result<PutOutcome> put = built->canonical[i].empty()
                                   ? store.PutRecord(source.value(), records[i])
                                   : store.PutRecord(source.value(), records[i], built->canonical[i]);
      if (!put.ok()) {
        if (put.status().code() != StatusCode::kDataError) return fail(put.status());
        row.ok = false;
        row.error = {"id", put.status().message()};
        stored = false;
        break;
      }
      ++counts[static_cast<int>(put.value())];
    }
    if (records.size() > 1) {
      if (Status st = stored ? store.ReleaseSavepoint() : store.RollbackToSavepoint(); !st.ok()) return fail(st);
    }
    if (!stored) {
      if (Status st = reject(row); !st.ok()) return fail(st);
      continue;
    }
    ++summary.accepted;
    for (const io::RowError& w : row.warnings) {
      ++(w.kept ? summary.values_kept_raw : summary.values_dropped);
      if (summary.messages.size() < 10) {
        summary.messages.push_back(path + ":" + std::to_string(row.line) + ": " + w.field + ": " + w.reason +
                                   " (row kept)");
      }
      if (Status st = rejects.WriteValue(row, w); !st.ok()) return fail(st);
    }
    summary.inserted += counts[static_cast<int>(PutOutcome::kInserted)];
    summary.updated += counts[static_cast<int>(PutOutcome::kUpdated)];
    summary.unchanged += counts[static_cast<int>(PutOutcome::kUnchanged)];
    if (options.batch_size > 0 && ++in_batch >= options.batch_size) {
      if (Status st = store.Commit(); !st.ok()) return fail(st);
      if (Status st = store.Begin(); !st.ok()) return st;
      in_batch = 0;
    }
  }
  progress.Finish();
  if (Status st = rows.Finish(); !st.ok()) return fail(st);
  if (Status st = rejects.Close(); !st.ok()) return fail(st);
  nlohmann::json detail = {{"file", path},
                           {"source", options.source},
                           {"read", summary.read},
                           {"accepted", summary.accepted},
                           {"rejected", summary.rejected},
                           {"inserted", summary.inserted},
                           {"updated", summary.updated},
                           {"values_kept_raw", summary.values_kept_raw},
                           {"values_dropped", summary.values_dropped}};
  if (new_source && summary.accepted == 0) {
    // Nothing was stored (no batch was committed either: batches end on an
    // accepted row), so the new source goes with the transaction; the
    // attempt is still audited.
    if (Status st = store.Rollback(); !st.ok()) return st;
    CASELINK_RETURN_IF_ERROR(store.Begin());
    detail["source_registered"] = false;
  }
  if (Status st = store.Audit(options.actor, "ingest", detail.dump()); !st.ok()) return fail(st);
  if (Status st = store.Commit(); !st.ok()) return fail(st);
  return summary;
}

}  // namespace caselink
