// Batch commands run on 2 MiB pages where the kernel lends them on request.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
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

}  // namespace

void UseLargePages(const Context& ctx) {
  if (ctx.argv == nullptr) return;
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
