#include "store/postgres/params.h"

#include <cstring>

namespace aih::store::postgres {
namespace {

void PutInt32(std::string& out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out.append(b, 4);
}

void PatchInt32(std::string& out, size_t at, uint32_t v) {
  out[at] = static_cast<char>(v >> 24);
  out[at + 1] = static_cast<char>(v >> 16);
  out[at + 2] = static_cast<char>(v >> 8);
  out[at + 3] = static_cast<char>(v);
}

std::string Int64Bytes(int64_t value) {
  uint64_t v = static_cast<uint64_t>(value);
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

// Header: ndim, has-null flag, element oid, then (size, lower bound) for the one dimension.
constexpr size_t kFlagsAt = 4, kSizeAt = 12, kHeaderSize = 20;

}  // namespace

BinaryArray::BinaryArray(TypeOid element) : element_(element) {
  PutInt32(bytes_, 1);
  PutInt32(bytes_, 0);
  PutInt32(bytes_, element);
  PutInt32(bytes_, 0);
  PutInt32(bytes_, 1);
}

void BinaryArray::Add(std::string_view text) {
  PutInt32(bytes_, static_cast<uint32_t>(text.size()));
  bytes_.append(text);
  ++count_;
}

void BinaryArray::Add(int64_t value) {
  PutInt32(bytes_, 8);
  bytes_ += Int64Bytes(value);
  ++count_;
}

void BinaryArray::AddNull() {
  PutInt32(bytes_, 0xffffffffu);  // length -1
  has_null_ = true;
  ++count_;
}

std::string BinaryArray::Finish() && {
  if (count_ == 0) {
    // PostgreSQL writes an empty array with no dimensions.
    std::string empty;
    PutInt32(empty, 0);
    PutInt32(empty, 0);
    PutInt32(empty, element_);
    return empty;
  }
  PatchInt32(bytes_, kFlagsAt, has_null_ ? 1 : 0);
  PatchInt32(bytes_, kSizeAt, static_cast<uint32_t>(count_));
  static_assert(kHeaderSize == 20);
  return std::move(bytes_);
}

Params& Params::Add(Oid type, const char* data, size_t length) {
  types_.push_back(type);
  values_.push_back(data);
  lengths_.push_back(static_cast<int>(length));
  formats_.push_back(1);  // binary
  return *this;
}

Params& Params::Text(std::string_view value) {
  // A null pointer would mean SQL NULL: an empty string needs a non-null pointer.
  return Add(kText, value.data() ? value.data() : "", value.size());
}

Params& Params::Text(const std::optional<std::string>& value) {
  return value ? Text(std::string_view(*value)) : Null(kText);
}

Params& Params::Bytes(std::string_view value) { return Add(kBytea, value.data() ? value.data() : "", value.size()); }

Params& Params::Int64(int64_t value) {
  owned_.push_back(Int64Bytes(value));
  return Add(kInt8, owned_.back().data(), 8);
}

Params& Params::Bool(bool value) {
  owned_.push_back(std::string(1, value ? 1 : 0));
  return Add(kBool, owned_.back().data(), 1);
}

Params& Params::Null(TypeOid type) { return Add(type, nullptr, 0); }

Params& Params::Array(BinaryArray array) {
  TypeOid type = array.array_type();
  owned_.push_back(std::move(array).Finish());
  return Add(type, owned_.back().data(), owned_.back().size());
}

}  // namespace aih::store::postgres
