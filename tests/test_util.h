// Helpers shared by the tests: temporary folders and files.
#pragma once

#include <filesystem>
#include <string>

namespace caselink::testing {

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  // Writes `content` to a file in the folder and returns its path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::string& path);
std::string SharedData(const std::string& relative);

}  // namespace caselink::testing
