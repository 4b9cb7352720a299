// Params and arrays: the parameters of one PostgreSQL statement, sent in binary format.
//
// Binary parameters need no quoting, escaping or parsing on either side: text goes as its bytes,
// integers as 8 big-endian bytes, and whole columns of a bulk write as one binary array each (so a
// batch of N rows is one statement with one parameter per column, unnested server-side). Text given
// as a string_view is borrowed, not copied: it must outlive the statement that sends it.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aih::store::postgres {

// The type oids we send (pg_type.h is a server header; these values are fixed by PostgreSQL).
enum TypeOid : Oid {
  kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25,
  kByteaArray = 1001, kTextArray = 1009, kInt8Array = 1016,
};

// A one-dimensional array in PostgreSQL's binary array format, built element by element.
class BinaryArray {
 public:
  explicit BinaryArray(TypeOid element);  // kText, kBytea or kInt8
  void Add(std::string_view text);          // text or bytea element
  void Add(const std::string& text) { Add(std::string_view(text)); }
  void Add(int64_t value);                  // int8 element
  void Add(const std::optional<std::string>& text) { if (text) Add(std::string_view(*text)); else AddNull(); }
  void AddNull();
  size_t size() const { return count_; }
  TypeOid array_type() const {
    return element_ == kInt8 ? kInt8Array : element_ == kBytea ? kByteaArray : kTextArray;
  }
  // The finished encoding (header patched with the element count).
  std::string Finish() &&;

 private:
  TypeOid element_;
  std::string bytes_;
  int32_t count_ = 0;
  bool has_null_ = false;
};

class Params {
 public:
  Params& Text(std::string_view value);  // borrowed
  Params& Text(const std::optional<std::string>& value);
  Params& Bytes(std::string_view value);  // bytea, borrowed
  Params& Int64(int64_t value);
  Params& Bool(bool value);
  Params& Null(TypeOid type);
  Params& Array(BinaryArray array);

  int size() const { return static_cast<int>(types_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  Params& Add(Oid type, const char* data, size_t length);

  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::deque<std::string> owned_;  // encodings we made; a deque never moves its elements
};

}  // namespace aih::store::postgres
