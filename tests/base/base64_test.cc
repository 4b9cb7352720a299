#include "base/base64.h"

#include <gtest/gtest.h>

#include "auth/unwrap.h"  // header-only

namespace aih {
namespace {

using auth::testing::Unwrap;
TEST(Base64Test, EncodesRfc4648Vectors) {
  // RFC 4648 section 10.
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, UrlSafeAlphabetReplacesPlusAndSlash) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
}

TEST(Base64Test, RoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    Result<std::string> url = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(url.ok()) << i << ": " << url.status().message();
    EXPECT_EQ(*url, bytes);
    Result<std::string> standard = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(standard.ok()) << i << ": " << standard.status().message();
    EXPECT_EQ(*standard, bytes);
    bytes += static_cast<char>(i * 7 + 3);
  }
}

TEST(Base64Test, UrlDecodingRefusesPaddingAndForeignCharacters) {
  for (std::string_view bad : {"Zg==", "Zg=", "Zm9v\n", "Zm 9v", "Zm+v", "Zm/v", "Zm9v.", "Zm\xc3\xa9v"}) {
    Result<std::string> decoded = Base64UrlDecode(bad);
    EXPECT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().code(), Code::kBadRequest);
  }
  Result<std::string> decoded = Base64UrlDecode("Zm9v+mFy");
  EXPECT_EQ(decoded.status().message(), "invalid base64url character '+' at position 4");
}

TEST(Base64Test, StandardDecodingRequiresExactPadding) {
  for (std::string_view bad : {"Zg", "Zg=", "Zg===", "Z===", "Zm9v-_", "Zm=v", "=Zm9", "Zm9v\r\n"}) {
    EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
  }
  EXPECT_EQ(Unwrap(Base64Decode("Zg==")), "f");
  EXPECT_EQ(Unwrap(Base64Decode("Zm8=")), "fo");
}

TEST(Base64Test, RefusesImpossibleLength) {
  // One character carries 6 bits: not even one byte.
  EXPECT_FALSE(Base64UrlDecode("Z").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").ok());
}

TEST(Base64Test, RefusesNonZeroUnusedBits) {
  // "Zg" is "f"; "Zh" decodes to the same byte with a stray bit in the unused tail. Accepting it would
  // give one byte string two encodings.
  EXPECT_EQ(Unwrap(Base64UrlDecode("Zg")), "f");
  Result<std::string> stray = Base64UrlDecode("Zh");
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.status().message().find("non-zero unused bits"), std::string::npos);
  EXPECT_FALSE(Base64UrlDecode("Zm9").ok());  // "Zm8" is "fo"
  EXPECT_FALSE(Base64Decode("Zh==").ok());
  EXPECT_FALSE(Base64Decode("Zm9=").ok());
}

TEST(Base64Test, EmptyTextIsEmptyBytes) {
  EXPECT_EQ(Unwrap(Base64UrlDecode("")), "");
  EXPECT_EQ(Unwrap(Base64Decode("")), "");
}

}  // namespace
}  // namespace aih
