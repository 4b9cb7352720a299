#include "base/utc_time.h"

#include <chrono>
#include <ctime>

namespace aih {

std::string FormatUtc(int64_t unix_seconds, const char* format) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  size_t n = std::strftime(buffer, sizeof buffer, format, &tm);
  return std::string(buffer, n);
}

std::string FormatUtcMillis(int64_t unix_millis) {
  const int64_t seconds = unix_millis >= 0 ? unix_millis / 1000 : (unix_millis - 999) / 1000;
  const int millis = static_cast<int>(unix_millis - seconds * 1000);
  std::string out = FormatUtc(seconds, "%Y-%m-%dT%H:%M:%S.");
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  return out + "Z";
}

std::string FormatUtcNow(const char* format) {
  return FormatUtc(std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count(),
                   format);
}

}  // namespace aih
