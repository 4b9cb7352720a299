#include "odata/cursor.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace aih::odata {
namespace {

constexpr const char* kRefused = "$skiptoken is invalid or has expired; restart from the first page";
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const std::string kSecret(32, 'k');

CursorPosition Position() {
  CursorPosition p;
  p.ticks = 17684730001234567;
  p.id = "1768473000123-9f86d081884c7d65";
  p.user_id = "5f1c2c5e-8d3a-4e8e-9a55-3b0d1f0f2a11";
  return p;
}

CursorBinding Binding() {
  return {"72f988bf-86f1-41af-91ab-2d7cd011db47", "5f1c2c5e-8d3a-4e8e-9a55-3b0d1f0f2a11",
          "filter:0:;select:;order:desc"};
}

void ExpectRefused(const CursorSigner& signer, std::string_view token, const CursorBinding& binding,
                   const std::string& what) {
  Result<CursorPosition> r = signer.Open(token, binding);
  ASSERT_FALSE(r.ok()) << what << ": " << token;
  EXPECT_EQ(r.status().code(), Code::kBadRequest) << what;
  EXPECT_EQ(r.status().message(), kRefused) << what;  // never says which check failed
}

TEST(Cursor, RoundTrip) {
  CursorSigner signer(kSecret);
  const std::string token = signer.Seal(Position(), Binding());
  Result<CursorPosition> r = signer.Open(token, Binding());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->ticks, Position().ticks);
  EXPECT_EQ(r->id, Position().id);
  EXPECT_EQ(r->user_id, Position().user_id);
}

TEST(Cursor, CarriesTheCountWhenItHasOne) {
  CursorSigner signer(kSecret);
  Result<CursorPosition> without = signer.Open(signer.Seal(Position(), Binding()), Binding());
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->count.has_value());
  for (int64_t count : {int64_t{0}, int64_t{1234567}, INT64_MAX}) {
    CursorPosition p = Position();
    p.count = count;
    Result<CursorPosition> r = signer.Open(signer.Seal(p, Binding()), Binding());
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->count, count);
    EXPECT_EQ(r->id, p.id);
  }
}

TEST(Cursor, RoundTripOfUnusualPositions) {
  CursorSigner signer(kSecret);
  for (CursorPosition p : {CursorPosition{0, "", ""}, CursorPosition{-116444736000000000, "漢字 🎉", "x"},
                           CursorPosition{INT64_MAX, std::string(300, 'i'), std::string(1000, 'u')},
                           CursorPosition{INT64_MIN, std::string("a\0b", 3), "'\"{}+/="}}) {
    Result<CursorPosition> r = signer.Open(signer.Seal(p, Binding()), Binding());
    ASSERT_TRUE(r.ok()) << p.id;
    EXPECT_EQ(r->ticks, p.ticks);
    EXPECT_EQ(r->id, p.id);
    EXPECT_EQ(r->user_id, p.user_id);
  }
}

TEST(Cursor, TokenUsesOnlyTheBase64UrlAlphabet) {
  CursorSigner signer(kSecret);
  CursorPosition p = Position();
  for (int n = 0; n < 40; ++n) {  // every length modulo 3, so every padding case
    p.id += static_cast<char>('a' + n % 26);
    const std::string token = signer.Seal(p, Binding());
    EXPECT_EQ(token.find_first_not_of(kAlphabet), std::string::npos) << token;
    EXPECT_LT(token.size(), 100 + p.id.size() * 4 / 3 + p.user_id.size() * 4 / 3);
    EXPECT_TRUE(signer.Open(token, Binding()).ok());
  }
}

TEST(Cursor, EveryAlteredCharacterIsRefused) {
  CursorSigner signer(kSecret);
  const std::string token = signer.Seal(Position(), Binding());
  for (size_t i = 0; i < token.size(); ++i) {
    for (const char c : std::string(kAlphabet) + "+/=.~ %") {
      if (c == token[i]) continue;
      std::string altered = token;
      altered[i] = c;
      ExpectRefused(signer, altered, Binding(), "character " + std::to_string(i) + " -> " + c);
    }
  }
}

TEST(Cursor, EveryAlteredBitOfTheDecodedTokenIsRefused) {
  // The same at the byte level, through the encoder: flip each bit of each sealed byte.
  CursorSigner signer(kSecret);
  const std::string token = signer.Seal(Position(), Binding());
  auto value = [](char c) { return static_cast<int>(std::string(kAlphabet).find(c)); };
  for (size_t i = 0; i < token.size(); ++i) {
    for (int bit = 0; bit < 6; ++bit) {
      std::string altered = token;
      altered[i] = kAlphabet[value(token[i]) ^ (1 << bit)];
      ExpectRefused(signer, altered, Binding(), "bit " + std::to_string(bit) + " of character " + std::to_string(i));
    }
  }
}

TEST(Cursor, EveryTruncationAndExtensionIsRefused) {
  CursorSigner signer(kSecret);
  const std::string token = signer.Seal(Position(), Binding());
  for (size_t n = 0; n < token.size(); ++n) {
    ExpectRefused(signer, token.substr(0, n), Binding(), "prefix of " + std::to_string(n));
    ExpectRefused(signer, token.substr(n + 1), Binding(), "suffix from " + std::to_string(n + 1));
  }
  for (const char* tail : {"A", "AA", "AAA", "AAAA", "=", "=="}) {
    ExpectRefused(signer, token + tail, Binding(), std::string("extended by ") + tail);
  }
  ExpectRefused(signer, std::string(100000, 'A'), Binding(), "huge");
}

TEST(Cursor, TokenOfAnotherTenantScopeOrQueryIsRefused) {
  CursorSigner signer(kSecret);
  const std::string token = signer.Seal(Position(), Binding());
  CursorBinding other = Binding();
  other.tenant_id = "00000000-0000-0000-0000-000000000000";
  ExpectRefused(signer, token, other, "other tenant");
  other = Binding();
  other.scope = "*";
  ExpectRefused(signer, token, other, "tenant-wide instead of one user");
  other = Binding();
  other.scope = "0e0e0e0e-0000-0000-0000-000000000000";
  ExpectRefused(signer, token, other, "other user");
  other = Binding();
  other.fingerprint = "filter:0:;select:id;order:desc";
  ExpectRefused(signer, token, other, "other query");
  // Moving a boundary between the parts is a different binding too.
  CursorBinding a{"ab", "c", "f"};
  CursorBinding b{"a", "bc", "f"};
  ExpectRefused(signer, signer.Seal(Position(), a), b, "shifted boundary");
}

TEST(Cursor, TokenOfAnotherSecretIsRefused) {
  CursorSigner ours(kSecret);
  CursorSigner theirs(std::string(32, 'j'));
  ExpectRefused(ours, theirs.Seal(Position(), Binding()), Binding(), "other secret");
}

TEST(Cursor, ExpiredTokenIsRefused) {
  ExpectRefused(CursorSigner(kSecret, 0), CursorSigner(kSecret, 0).Seal(Position(), Binding()), Binding(),
                "lifetime 0");
  CursorSigner past(kSecret, -3600);
  ExpectRefused(past, past.Seal(Position(), Binding()), Binding(), "expired an hour ago");
  // Lifetime is decided when sealing: a token sealed for an hour opens under any signer of the same secret.
  EXPECT_TRUE(CursorSigner(kSecret, 0).Open(CursorSigner(kSecret, 3600).Seal(Position(), Binding()), Binding()).ok());
}

TEST(Cursor, ShortSecretIsAConfigurationError) {
  EXPECT_THROW(CursorSigner(std::string(31, 'k')), std::invalid_argument);
  EXPECT_NO_THROW(CursorSigner(std::string(32, 'k')));
}

}  // namespace
}  // namespace aih::odata
