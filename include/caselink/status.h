// Status and Result<T>: how every fallible call in caselink reports failure.
//
// Nothing throws across a module boundary. A Status carries a code from a small
// fixed set and a message that says what went wrong and where (file, line,
// field, offending value). The CLI maps codes to exit statuses (see src/cli).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace caselink {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller's input is wrong (usage, bad value)
  kNotFound,         // a named thing (file, record, entity) does not exist
  kDataError,        // input data is malformed (a row to reject)
  kIoError,          // the file system or the store failed
  kBusy,             // the store is locked by another process
  kInternal,         // a bug: an invariant did not hold
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status DataError(std::string m) { return {StatusCode::kDataError, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Busy(std::string m) { return {StatusCode::kBusy, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with where it happened ("store.db: ...").
  Status WithContext(const std::string& where) const {
    if (ok()) return *this;
    return Status(code_, where + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace caselink

// Returns early from the enclosing function when `expr` is not ok.
#define CASELINK_RETURN_IF_ERROR(expr) \
  do {                                 \
    ::caselink::Status _st = (expr);   \
    if (!_st.ok()) return _st;         \
  } while (0)
