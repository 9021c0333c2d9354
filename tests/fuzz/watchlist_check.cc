#include "fuzz/watchlist_check.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "caselink/normalize.h"
#include "fuzz/fuzz_check.h"

namespace caselink::fuzz {

namespace {

// Removes the folder when the process ends normally; a crash leaves it, with
// the input that crashed.
struct InputFolder {
  std::string path;
  ~InputFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

const std::string& InputDir() {
  // One folder per process: libFuzzer's -jobs run several at once.
  // Memory-backed /dev/shm where there is one: rewriting a file on a disk
  // (truncation, discard) made these targets ten times slower.
  static const InputFolder folder = [] {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                                               : std::filesystem::temp_directory_path();
    std::filesystem::path path = base / ("caselink-fuzz-watchlist-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path, ec);
    if (ec) {
      path = std::filesystem::temp_directory_path() / path.filename();
      std::filesystem::create_directories(path);
    }
    return InputFolder{path.string()};
  }();
  return folder.path;
}

std::string WriteInput(const std::string& name, const std::string* bytes) {
  std::string path = InputDir() + "/" + name;
  if (bytes == nullptr) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return path;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  return path;
}

void CheckWatchlist(const Result<Watchlist>& result, const std::string& path_prefix) {
  if (!result.ok()) {
    CASELINK_FUZZ_CHECK(!result.status().message().empty(), "an error without a message");
    return;
  }
  const Watchlist& list = result.value();
  CASELINK_FUZZ_CHECK(!ToString(list.format).empty(), "a list without its format");
  for (const WatchlistEntry& e : list.entries) {
    std::string ctx = "entry " + Quote(e.source_id) + " at line " + std::to_string(e.line);
    CASELINK_FUZZ_CHECK(!e.source_id.empty(), ctx + ": no source_id");
    CASELINK_FUZZ_CHECK(e.line >= 1, ctx + ": no line");
    CASELINK_FUZZ_CHECK(!e.names.empty(), ctx + ": no name");
    CASELINK_FUZZ_CHECK(e.names.front().kind == "primary", ctx + ": first name is " + Quote(e.names.front().kind));
    for (const ListedName& n : e.names) {
      CASELINK_FUZZ_CHECK(!n.text.empty(), ctx + ": an empty " + n.kind + " name");
      CASELINK_FUZZ_CHECK(
          n.kind == "primary" || n.kind == "alias" || n.kind == "formerly" || n.kind == "original script",
          ctx + ": name kind " + Quote(n.kind));
    }
    for (const std::string& date : e.birth_dates) {
      Result<std::string> again = NormalizeDate(date);
      CASELINK_FUZZ_CHECK(again.ok() && *again == date, ctx + ": birth date " + Quote(date) + " is not ISO");
    }
    for (const ListedDocument& d : e.documents) {
      CASELINK_FUZZ_CHECK(!d.number.empty(), ctx + ": a document without a number");
    }
    CASELINK_FUZZ_CHECK(e.gender.empty() || e.gender == "male" || e.gender == "female",
                        ctx + ": gender " + Quote(e.gender));
  }
  for (const std::string& reject : list.rejects) {
    CASELINK_FUZZ_CHECK(reject.rfind(path_prefix, 0) == 0, "a reject that names no file: " + Quote(reject));
  }
}

}  // namespace caselink::fuzz
