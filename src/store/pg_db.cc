#include "pg_db.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace caselink::pg {
namespace {

// The SQLSTATE of a failed statement, as a Status of the matching kind.
Status FromSqlState(const char* state, std::string message) {
  const std::string code = state ? state : "";
  // A lock not granted in time, a deadlock, a conflict with a concurrent
  // transaction: another writer holds what this one needs.
  if (code == "55P03" || code == "40P01" || code == "40001" || code == "57014") {
    return Status::Busy("the store is locked by another process (" + message +
                        "); wait for it to finish and try again");
  }
  if (code.rfind("23", 0) == 0 || code == "22021" || code == "22P05") return Status::DataError(message);
  if (code.rfind("08", 0) == 0 || code.rfind("53", 0) == 0 || code.rfind("58", 0) == 0 || code == "57P01" ||
      code.rfind("28", 0) == 0 || code == "3D000") {
    return Status::IoError(message);
  }
  return Status::Internal(message);
}

std::string FirstLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

Params& Params::Text(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(0);
  return *this;
}

Params& Params::Int(int64_t v) { return Text(std::to_string(v)); }

Params& Params::Real(double v) {
  // The shortest text that reads back as the same double.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return Text(std::string_view(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0));
}

Params& Params::Bytes(std::string_view v) {
  Text(v);
  formats_.back() = 1;
  return *this;
}

Params& Params::Null() {
  values_.emplace_back();
  null_.push_back(true);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

const char* const* Params::values() const {
  pointers_.clear();
  for (size_t i = 0; i < values_.size(); ++i) pointers_.push_back(null_[i] ? nullptr : values_[i].data());
  return pointers_.data();
}

int64_t Rows::Int(int row, int col) const {
  std::string_view v = View(row, col);
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

double Rows::Real(int row, int col) const {
  if (IsNull(row, col)) return 0;
  return std::strtod(PQgetvalue(result_.get(), row, col), nullptr);
}

std::string Rows::Bytes(int row, int col) const {
  std::string_view v = View(row, col);
  std::string out;
  if (v.size() < 2 || v[0] != '\\' || v[1] != 'x') return out;
  out.resize((v.size() - 2) / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(HexDigit(v[2 + 2 * i]) << 4 | HexDigit(v[3 + 2 * i]));
  }
  return out;
}

int64_t Rows::Affected() const {
  const char* n = result_ ? PQcmdTuples(result_.get()) : "";
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

Status Conn::Check(PGresult* result, const std::string& sql) {
  const ExecStatusType st = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN) return Status::Ok();
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (PQstatus(conn_) == CONNECTION_BAD) state = "08006";
  return FromSqlState(state, where_ + ": '" + sql.substr(0, 80) + "': " + FirstLine(message));
}

Result<Rows> Conn::Query(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    PGresult* made = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    Status st = Check(made, sql);
    PQclear(made);
    CASELINK_RETURN_IF_ERROR(st);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  PGresult* result =
      PQexecPrepared(conn_, it->second.c_str(), params.size(), params.values(), params.lengths(), params.formats(), 0);
  Rows rows(result);
  CASELINK_RETURN_IF_ERROR(Check(result, sql));
  return rows;
}

Status Conn::Exec(const std::string& sql) {
  // PQexec runs every statement of the text and answers the last result,
  // or the first failure.
  PGresult* result = PQexec(conn_, sql.c_str());
  Status st = Check(result, sql);
  PQclear(result);
  return st;
}

Status Conn::CopyStart(const std::string& copy_sql) {
  PGresult* result = PQexec(conn_, copy_sql.c_str());
  Status st = Check(result, copy_sql);
  if (st.ok() && PQresultStatus(result) != PGRES_COPY_IN)
    st = Status::Internal(where_ + ": '" + copy_sql + "' did not start a COPY");
  PQclear(result);
  return st;
}

Status Conn::CopyPut(std::string_view data) {
  if (data.empty()) return Status::Ok();
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1) {
    return Status::IoError(where_ + ": sending COPY data: " + FirstLine(PQerrorMessage(conn_)));
  }
  return Status::Ok();
}

Status Conn::CopyEnd() {
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    return Status::IoError(where_ + ": ending COPY: " + FirstLine(PQerrorMessage(conn_)));
  }
  Status st;
  while (PGresult* result = PQgetResult(conn_)) {
    if (st.ok()) st = Check(result, "COPY");
    PQclear(result);
  }
  return st;
}

Result<std::unique_ptr<Conn>> Connect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Status::IoError("cannot connect to '" + Redacted(conninfo) + "': out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = FirstLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::IoError("cannot connect to store '" + Redacted(conninfo) + "': " + why +
                           " (is the server running and the database created? set --store or CASELINK_STORE)");
  }
  // Notices ("... does not exist, skipping") are the server talking to
  // itself, not to the user: libpq would print them on stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::make_unique<Conn>(conn, Redacted(conninfo));
}

void AppendCopyText(std::string* out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': *out += "\\\\"; break;
      case '\t': *out += "\\t"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      default: *out += c;
    }
  }
}

void AppendCopyBytes(std::string* out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out += "\\\\x";
  for (unsigned char c : bytes) {
    *out += kHex[c >> 4];
    *out += kHex[c & 15];
  }
}

std::string Redacted(const std::string& conninfo) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  const size_t scheme = conninfo.find("://");
  if (scheme != std::string::npos) {
    const size_t at = conninfo.find('@', scheme + 3);
    const size_t colon = conninfo.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      return conninfo.substr(0, colon + 1) + "***" + conninfo.substr(at);
    }
    std::string out = conninfo;
    const size_t pw = out.find("password=");
    if (pw != std::string::npos) {
      const size_t end = out.find('&', pw);
      out.replace(pw + 9, (end == std::string::npos ? out.size() : end) - pw - 9, "***");
    }
    return out;
  }
  std::string out = conninfo;
  const size_t pw = out.find("password=");
  if (pw != std::string::npos) {
    const size_t end = out.find(' ', pw);
    out.replace(pw + 9, (end == std::string::npos ? out.size() : end) - pw - 9, "***");
  }
  return out;
}

}  // namespace caselink::pg
