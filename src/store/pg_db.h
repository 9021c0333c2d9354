// A thin layer over libpq for the PostgreSQL store: a connection with its
// prepared statements, parameters and results, COPY, and errors as Status
// naming the SQL that failed. Every value goes as text except bytea, which
// goes binary; results come back as text (bytea as hex, decoded here).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caselink/status.h"

namespace caselink::pg {

// Parameters of one statement, $1 first.
class Params {
 public:
  Params& Text(std::string_view v);
  Params& Int(int64_t v);
  Params& Real(double v);
  Params& Bytes(std::string_view v);  // bytea, sent binary
  Params& Null();
  // Text, or NULL when absent.
  Params& MaybeText(const std::optional<std::string>& v) { return v ? Text(*v) : Null(); }

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<int> lengths_, formats_;
  mutable std::vector<const char*> pointers_;
};

// The rows of a statement that returns some.
class Rows {
 public:
  Rows() = default;
  explicit Rows(PGresult* r) : result_(r, PQclear) {}
  int size() const { return result_ ? PQntuples(result_.get()) : 0; }
  bool IsNull(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
  std::string_view View(int row, int col) const {
    return {PQgetvalue(result_.get(), row, col), static_cast<size_t>(PQgetlength(result_.get(), row, col))};
  }
  std::string Text(int row, int col) const { return std::string(View(row, col)); }
  int64_t Int(int row, int col) const;
  double Real(int row, int col) const;
  // A bytea column, decoded from PostgreSQL's hex output.
  std::string Bytes(int row, int col) const;
  // Rows a command changed (UPDATE, DELETE, INSERT).
  int64_t Affected() const;

 private:
  std::shared_ptr<PGresult> result_;
};

// One connection. Statements run with parameters are prepared on first use
// and kept by their SQL for the connection's life.
class Conn {
 public:
  Conn(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  ~Conn() { PQfinish(conn_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  Result<Rows> Query(const std::string& sql, const Params& params = {});
  // Runs SQL without parameters, several statements allowed.
  Status Exec(const std::string& sql);
  // COPY ... FROM STDIN: start it, send rows in COPY's text format in
  // pieces of any size, end it (which says whether the rows went in).
  Status CopyStart(const std::string& copy_sql);
  Status CopyPut(std::string_view data);
  Status CopyEnd();
  const std::string& where() const { return where_; }
  // Whether the server has a transaction open on this connection.
  bool InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

 private:
  Status Check(PGresult* result, const std::string& sql);

  PGconn* conn_;
  std::string where_;                            // the store, for messages (its URI without a password)
  std::map<std::string, std::string> prepared_;  // SQL -> statement name
};

// Opens a connection from a libpq URI or keyword string; the error says
// where and why it failed.
Result<std::unique_ptr<Conn>> Connect(const std::string& conninfo);

// `text` escaped for COPY's text format (backslash, tab, newline, return).
void AppendCopyText(std::string* out, std::string_view text);
// Bytes as a bytea in COPY's text format (\\x and hex).
void AppendCopyBytes(std::string* out, std::string_view bytes);

// The location with any password blanked, for messages and the audit log.
std::string Redacted(const std::string& conninfo);

}  // namespace caselink::pg
