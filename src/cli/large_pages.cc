// Batch commands run on 2 MiB pages where the kernel lends them on request.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli.h"

namespace caselink::cli {
namespace {

constexpr const char* kTunable = "glibc.malloc.hugetlb";

// Whether the kernel gives transparent huge pages to memory that asks for
// them: "always" or "madvise" (the usual default); not "never".
bool KernelLendsHugePages() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string setting;
  std::getline(in, setting);
  return in && setting.find("[never]") == std::string::npos;
}

// The store is big enough for large pages to pay for starting again (about
// 40 ms): an SQLite file of CASELINK_LARGE_PAGES_FROM bytes or more (64 MiB
// unless set), or a PostgreSQL store (its size is not known here; starting
// again is small beside a connection).
bool LargeStore(const std::string& store_path) {
  if (store_path.rfind("postgres", 0) == 0) return true;
  uint64_t from = uint64_t{64} << 20;
  if (const char* set = std::getenv("CASELINK_LARGE_PAGES_FROM"); set && *set) from = std::strtoull(set, nullptr, 10);
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(store_path, ec);
  return !ec && size >= from;
}

}  // namespace

void UseLargePages(const Context& ctx, bool always) {
  if (ctx.argv == nullptr) return;
  if (!always && !LargeStore(ctx.store_path)) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string have = tunables ? tunables : "";
  // Already set: by this function in the process it started, or by whoever
  // ran caselink (glibc.malloc.hugetlb=0 turns this off).
  if (have.find(kTunable) != std::string::npos) return;
  if (!KernelLendsHugePages()) return;
  const std::string wanted = (have.empty() ? "" : have + ":") + kTunable + "=1";
  if (setenv("GLIBC_TUNABLES", wanted.c_str(), 1) != 0) return;
  if (std::getenv("CASELINK_TRACE")) std::fprintf(stderr, "[trace] large pages: started again with %s=1\n", kTunable);
  execv("/proc/self/exe", ctx.argv);
  // No exec (no /proc, say): the run goes on, on 4 KiB pages.
  unsetenv("GLIBC_TUNABLES");
  if (tunables) setenv("GLIBC_TUNABLES", have.c_str(), 1);
}

}  // namespace caselink::cli
