#include "caselink/interned.h"

#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace caselink {
namespace {

// Every name ever interned, for the life of the process: a node-based set,
// so each text keeps its address as the set grows.
struct Pool {
  std::mutex mutex;
  std::unordered_set<std::string> texts;
};

Pool& ThePool() {
  static Pool* pool = new Pool;  // never destroyed: names outlive every static that holds one
  return *pool;
}

}  // namespace

const std::string& Interned::Empty() noexcept {
  static const std::string* empty = new std::string;
  return *empty;
}

Interned::Interned(std::string_view text) : text_(&Empty()) {
  if (text.empty()) return;
  // Each thread remembers the names it has met, so that the lock is taken
  // once per name and thread, not once per record.
  thread_local std::unordered_map<std::string_view, const std::string*> seen;
  if (auto it = seen.find(text); it != seen.end()) {
    text_ = it->second;
    return;
  }
  Pool& pool = ThePool();
  {
    std::lock_guard<std::mutex> lock(pool.mutex);
    text_ = &*pool.texts.emplace(text).first;
  }
  seen.emplace(*text_, text_);
}

}  // namespace caselink
