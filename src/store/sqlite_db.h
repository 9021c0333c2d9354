// A thin RAII layer over the SQLite C API: a connection and prepared
// statements whose errors come back as Status with the SQL that failed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "caselink/status.h"

namespace caselink::sqlite {

// Maps an SQLite result code to a Status; SQLITE_BUSY/LOCKED become kBusy.
Status ToStatus(sqlite3* db, int rc, std::string_view what);

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;

  const Status& status() const { return status_; }

  Stmt& Bind(int index, std::string_view text);
  Stmt& Bind(int index, int64_t value);
  Stmt& Bind(int index, double value);
  Stmt& BindNull(int index);
  Stmt& BindBlob(int index, std::string_view bytes);

  // Advances; true while a row is available. Errors land in status().
  bool Step();
  // Runs to completion and resets for reuse.
  Status Run();
  void Reset();

  std::string Text(int column) const;
  // Valid until the next Step or Reset.
  std::string_view Blob(int column) const;
  int64_t Int(int column) const;
  double Real(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
  Status status_;
};

// Runs SQL with no result rows (may hold several statements).
Status Exec(sqlite3* db, std::string_view sql);

}  // namespace caselink::sqlite
