#include "model/timestamp.h"

#include <chrono>
#include <cstdio>

namespace aih::model {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

// Writes `value` as exactly `width` decimal digits, zero-padded.
void PutDigits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`; false if any is not a digit.
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

Status Invalid(std::string_view text, const char* why) {
  // Show at most 64 bytes, cut on a character boundary so that the message stays valid UTF-8.
  size_t shown_size = text.size();
  if (shown_size > 64) {
    shown_size = 64;
    while (shown_size > 0 && (static_cast<unsigned char>(text[shown_size]) & 0xC0) == 0x80) {
      --shown_size;
    }
  }
  std::string shown(text.substr(0, shown_size));
  return Status::BadRequest("'" + shown + "' is not a valid DateTimeOffset (" + why +
                            "); expected ISO 8601 like 2026-01-15T10:30:00Z or "
                            "2026-01-15T10:30:00.1234567+02:00");
}

}  // namespace

Result<Timestamp> Timestamp::Parse(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!Digits(text, 0, 4, &year) || text.size() < 19 || text[4] != '-' ||
      !Digits(text, 5, 2, &month) || text[7] != '-' || !Digits(text, 8, 2, &day) ||
      (text[10] != 'T' && text[10] != 't') || !Digits(text, 11, 2, &hour) || text[13] != ':' ||
      !Digits(text, 14, 2, &minute) || text[16] != ':' || !Digits(text, 17, 2, &second)) {
    return Invalid(text, "not of the form YYYY-MM-DDTHH:MM:SS");
  }
  if (year < 1601 || month < 1 || month > 12 || day < 1 ||
      day > static_cast<int>(DaysInMonth(year, month)) || hour > 23 || minute > 59 || second > 59) {
    return Invalid(text, "a field is out of range");
  }
  size_t pos = 19;
  int64_t fraction_ticks = 0;
  uint8_t digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits == 7) return Invalid(text, "more than 7 fractional digits");
      fraction_ticks = fraction_ticks * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return Invalid(text, "no digits after '.'");
    for (int i = digits; i < 7; ++i) fraction_ticks *= 10;
  }
  int64_t offset_seconds = 0;
  if (pos == text.size()) return Invalid(text, "no UTC offset; add Z or +HH:MM");
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh, om;
    if (!Digits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !Digits(text, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return Invalid(text, "malformed UTC offset");
    }
    offset_seconds = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return Invalid(text, "unexpected character after the time");
  }
  if (pos != text.size()) return Invalid(text, "unexpected characters at the end");
  int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  // The offset can move the instant out of the years we write back (9999-12-31T23:00:00-02:00 is
  // in year 10000): refuse it here, or ToString would produce a date Parse refuses.
  static const int64_t kFirstSecond = DaysFromCivil(1601, 1, 1) * 86400;
  static const int64_t kEndSecond = DaysFromCivil(10000, 1, 1) * 86400;
  if (seconds < kFirstSecond || seconds >= kEndSecond) {
    return Invalid(text, "outside years 1601..9999 in UTC");
  }
  Timestamp t;
  t.ticks = seconds * kTicksPerSecond + fraction_ticks;
  t.fraction_digits = digits;
  return t;
}

Timestamp Timestamp::FromUnixMillis(int64_t millis) {
  Timestamp t;
  t.ticks = millis * 10'000;
  t.fraction_digits = 3;
  return t;
}

int64_t Timestamp::UnixMillis() const {
  int64_t q = ticks / 10'000;
  if (ticks % 10'000 < 0) --q;  // floor for instants before 1970
  return q;
}

std::string Timestamp::ToString() const {
  std::string out;
  AppendTo(out);
  return out;
}

void Timestamp::AppendTo(std::string& out) const {
  int64_t seconds = ticks / kTicksPerSecond;
  int64_t frac = ticks % kTicksPerSecond;
  if (frac < 0) {
    frac += kTicksPerSecond;
    --seconds;
  }
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  // Formatted by hand: this runs once per interaction written, and snprintf was most of its cost.
  char buf[64];
  char* p = buf;
  if (y < 0 || y > 9999) {  // not produced by Parse; kept readable rather than wrapped
    p += std::snprintf(p, 16, "%04lld", static_cast<long long>(y));
  } else {
    PutDigits(p, static_cast<unsigned>(y), 4);
    p += 4;
  }
  const unsigned hms[] = {static_cast<unsigned>(rem / 3600), static_cast<unsigned>(rem / 60 % 60),
                          static_cast<unsigned>(rem % 60)};
  *p++ = '-';
  PutDigits(p, m, 2);
  p += 2;
  *p++ = '-';
  PutDigits(p, d, 2);
  p += 2;
  *p++ = 'T';
  for (int i = 0; i < 3; ++i) {
    if (i > 0) *p++ = ':';
    PutDigits(p, hms[i], 2);
    p += 2;
  }
  const int digits = fraction_digits > 7 ? 7 : fraction_digits;
  if (digits > 0) {
    char f[7];
    PutDigits(f, static_cast<unsigned>(frac), 7);
    *p++ = '.';
    for (int i = 0; i < digits; ++i) *p++ = f[i];
  }
  *p++ = 'Z';
  out.append(buf, p);
}

Timestamp Now() {
  auto since = std::chrono::system_clock::now().time_since_epoch();
  Timestamp t;
  t.ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(since).count() / 100;
  t.fraction_digits = 7;
  return t;
}

}  // namespace aih::model
