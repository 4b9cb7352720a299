// UtcTime: an instant in seconds written as UTC text, the one home of gmtime_r/strftime for the
// messages and listings that show a time (token expiry, signing keys, Graph error dates, the log).
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>

namespace aih {

// ISO 8601 with a `Z`: "2026-12-06T14:05:09Z".
inline constexpr const char* kIsoUtc = "%Y-%m-%dT%H:%M:%SZ";

// `unix_seconds` formatted by strftime's `format`, in UTC (at most 63 bytes of text).
std::string FormatUtc(int64_t unix_seconds, const char* format = kIsoUtc);

// The current time, the same way.
std::string FormatUtcNow(const char* format = kIsoUtc);

// `unix_millis` as ISO 8601 with milliseconds and a `Z`: "2026-12-06T14:05:09.142Z" (the log's time).
std::string FormatUtcMillis(int64_t unix_millis);

}  // namespace aih
