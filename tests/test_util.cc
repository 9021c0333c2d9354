#include "test_util.h"

#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

namespace caselink::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "caselink-test-XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::string p = File(name);
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string SharedData(const std::string& relative) { return std::string(CASELINK_SHARED_DATA) + "/" + relative; }

}  // namespace caselink::testing
