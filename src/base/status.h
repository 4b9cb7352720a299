// Status: the outcome of an operation that can fail, carried across every module boundary.
//
// A Status is either ok() or holds a Code and a message written for a person ("what was wrong and
// what to do"). Codes name the kind of failure, not the transport: the api layer maps them to HTTP
// statuses and Graph error codes (api/graph_error.h). Result<T> carries a value or a failed Status.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace aih {

enum class Code {
  kOk = 0,
  kBadRequest,        // the caller sent something malformed or invalid
  kUnauthenticated,   // no valid credential
  kForbidden,         // valid credential, not allowed
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kTooLarge,          // body or batch over a configured limit
  kUnsupportedMediaType,
  kTooManyRequests,   // throttled; retry later
  kUnavailable,       // a dependency (database, receiver) is down; retry later
  kStorageFull,       // the database's storage is full: nothing was written; retry once space is freed
  kInternal,          // a bug or an unexpected failure of ours
};

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status BadRequest(std::string m) { return {Code::kBadRequest, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
  static Status Forbidden(std::string m) { return {Code::kForbidden, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status TooLarge(std::string m) { return {Code::kTooLarge, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status StorageFull(std::string m) { return {Code::kStorageFull, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return {code_, context + ": " + message_};
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}             // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}     // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // Reading the value of a failed Result is a bug: it stops the process loudly, in every build,
  // rather than read garbage.
  T& value() { Check(); return *value_; }
  const T& value() const { Check(); return *value_; }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void Check() const {
    if (!value_) {
      std::fprintf(stderr, "aihistory: bug: the value of a failed Result was read: %s\n", status_.message().c_str());
      std::abort();
    }
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace aih

// Returns early from the enclosing function when `expr` yields a failed Status.
#define AIH_RETURN_IF_ERROR(expr)        \
  do {                                   \
    ::aih::Status aih_status_ = (expr);  \
    if (!aih_status_.ok()) return aih_status_; \
  } while (0)

// Declares or assigns `lhs` from the value of the Result `expr`, or returns its failed Status from
// the enclosing function:
//   AIH_ASSIGN_OR_RETURN(auto proof, InclusionProof(tree, index, size));
//   AIH_ASSIGN_OR_RETURN(root, RootHash(tree, size));   // an existing variable
// It declares names in the enclosing block, so it is a statement of its own (never the body of an
// unbraced if); `lhs` may not contain an unparenthesised comma.
#define AIH_ASSIGN_OR_RETURN(lhs, expr) AIH_ASSIGN_OR_RETURN_(AIH_RESULT_NAME_(__LINE__), lhs, expr)
#define AIH_RESULT_NAME_(line) AIH_RESULT_NAME_CAT_(aih_result_, line)
#define AIH_RESULT_NAME_CAT_(a, b) a##b
#define AIH_ASSIGN_OR_RETURN_(result, lhs, expr) \
  auto result = (expr);                          \
  if (!result.ok()) return result.status();      \
  lhs = std::move(*result)
