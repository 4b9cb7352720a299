#include "odata/percent_encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "odata/text.h"

namespace aih::odata {
namespace {

using ::testing::HasSubstr;

std::string Decode(std::string_view text, bool plus_is_space = false) {
  Result<std::string> r = PercentDecode(text, plus_is_space);
  EXPECT_TRUE(r.ok()) << text << " -> " << r.status().message();
  return r.ok() ? *r : "";
}

std::string DecodeError(std::string_view text) {
  Result<std::string> r = PercentDecode(text, false);
  EXPECT_FALSE(r.ok()) << "decoded: " << text;
  return r.ok() ? "" : r.status().message();
}

TEST(PercentDecode, Escapes) {
  EXPECT_EQ(Decode(""), "");
  EXPECT_EQ(Decode("plain"), "plain");
  EXPECT_EQ(Decode("%24top"), "$top");
  EXPECT_EQ(Decode("a%20b%27c%22"), "a b'c\"");
  EXPECT_EQ(Decode("%2b%2B"), "++");  // either case of hex
  EXPECT_EQ(Decode("%25"), "%");
  EXPECT_EQ(Decode("%25zz"), "%zz");  // decoded once only
  EXPECT_EQ(Decode("%C3%A9%E6%BC%A2%F0%9F%8E%89"), "é漢🎉");
}

TEST(PercentDecode, PlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(Decode("a+b", false), "a+b");
  EXPECT_EQ(Decode("a+b", true), "a b");
  EXPECT_EQ(Decode("a%2Bb", true), "a+b");
}

TEST(PercentDecode, MalformedEscapesAreRefused) {
  EXPECT_EQ(DecodeError("ab%zz"),
            "'%zz' at position 3 is not a valid percent-escape; escapes are '%' and two hex digits, and a literal '%' "
            "is written %25");
  EXPECT_THAT(DecodeError("%4"), HasSubstr("'%4' at position 1 is not a valid percent-escape"));
  EXPECT_THAT(DecodeError("%"), HasSubstr("'%' at position 1"));
  EXPECT_THAT(DecodeError("%g1"), HasSubstr("'%g1'"));
  EXPECT_THAT(DecodeError("100%"), HasSubstr("at position 4"));
  EXPECT_THAT(DecodeError("%\xff\xfe"), HasSubstr("'%?" "?'"));  // the message itself stays printable ASCII
}

TEST(PercentDecode, DecodedBytesMustBeUtf8) {
  for (const char* bad : {"%FF", "%C0%AF", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80", "%80", "%C3", "a%E6%BC"}) {
    EXPECT_THAT(DecodeError(bad), HasSubstr("the decoded text is not valid UTF-8")) << bad;
  }
  EXPECT_THAT(DecodeError("ab%FF"), HasSubstr("(at byte 3)"));
  EXPECT_THAT(DecodeError("\xff"), HasSubstr("not valid UTF-8"));  // a raw byte, not only an escaped one
}

TEST(PercentEncode, OnlyUnreservedCharactersStayRaw) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("a b+c'd\"e{f}g/h?i&j=k%l#m,n$o"),
            "a%20b%2Bc%27d%22e%7Bf%7Dg%2Fh%3Fi%26j%3Dk%25l%23m%2Cn%24o");
  EXPECT_EQ(PercentEncode("é"), "%C3%A9");
  EXPECT_EQ(PercentEncode(std::string("\0", 1)), "%00");
}

TEST(PercentEncode, RoundTripsEveryValidText) {
  std::string all_ascii;
  for (int c = 0; c < 128; ++c) all_ascii += static_cast<char>(c);
  for (const std::string& text : {all_ascii, std::string("漢字 🎉 it's {x}+y")}) {
    EXPECT_EQ(Decode(PercentEncode(text), false), text);
    EXPECT_EQ(Decode(PercentEncode(text), true), text);
  }
}

TEST(Text, Utf8PositionsAndExcerpts) {
  EXPECT_EQ(FindInvalidUtf8("abc é 漢 🎉"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xe6\xbc"), 2u);  // truncated sequence
  EXPECT_EQ(FindInvalidUtf8("\xf5\x80\x80\x80"), 0u);
  EXPECT_EQ(CharPosition("é漢x", 0), 1u);
  EXPECT_EQ(CharPosition("é漢x", 2), 2u);
  EXPECT_EQ(CharPosition("é漢x", 5), 3u);
  EXPECT_EQ(CharPosition("é漢x", 6), 4u);  // one past the end
  EXPECT_EQ(Excerpt("abcdef", 3), "abc...");
  EXPECT_EQ(Excerpt("abc", 3), "abc");
  EXPECT_EQ(Excerpt("漢漢漢漢", 2), "漢漢...");
}

}  // namespace
}  // namespace aih::odata
