// Timestamp: an instant of createdDateTime, kept as the writer wrote it.
//
// Graph keeps up to 7 fractional digits (100 ns ticks) and always writes UTC with `Z`. We keep the
// instant as 100 ns ticks since the Unix epoch (the sort key stored beside each interaction) and the
// number of fractional digits the writer sent, so that the value is written back exactly: the writer's
// `2026-01-15T10:30:00.120+02:00` is exported as `2026-01-15T08:30:00.120Z`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace aih::model {

struct Timestamp {
  int64_t ticks = 0;          // 100 ns units since 1970-01-01T00:00:00Z
  uint8_t fraction_digits = 0;  // 0..7, as the writer sent them

  static constexpr int64_t kTicksPerSecond = 10'000'000;
  static constexpr int64_t kTicksPerDay = kTicksPerSecond * 86'400;

  // Parses ISO 8601 `YYYY-MM-DDTHH:MM:SS[.f{1,7}](Z|±HH:MM)`. An offset is required: a date without
  // one is ambiguous and refused. Years 1601..9999, as written and in UTC.
  static Result<Timestamp> Parse(std::string_view text);
  static Timestamp FromUnixMillis(int64_t millis);

  // `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with exactly `fraction_digits` digits.
  std::string ToString() const;
  void AppendTo(std::string& out) const;  // the same text, appended without a temporary
  int64_t UnixMillis() const;

  friend bool operator==(const Timestamp& a, const Timestamp& b) {
    return a.ticks == b.ticks && a.fraction_digits == b.fraction_digits;
  }
};

// The current time, for server-assigned values and token lifetimes.
Timestamp Now();

}  // namespace aih::model
