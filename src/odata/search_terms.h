// SearchTerms: the words a text is found by, the same for what is indexed and what is searched.
//
// Both engines index the terms made here (never their own tokenisers'), and a query's words go
// through the same function, so SQLite and PostgreSQL find exactly the same items in every language:
//   - case folded (full Unicode folding: "Straße" and "STRASSE" agree), compatibility-decomposed
//     (full-width "ＡＢＣ" is "abc", "ﬁ" is "fi") and stripped of the diacritics of spaced scripts
//     ("Müller" is "muller", "café" is "cafe"); the marks of Japanese kana and Thai stay, as they
//     change the word;
//   - spaced scripts split into words at every character that is not a letter, digit or mark;
//   - runs of a script written without spaces (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer,
//     Myanmar) split into overlapping pairs of characters, so any substring of two or more
//     characters is a phrase of pairs ("東京都" is "東京 京都"; a run of one character is itself).
// A term is at most kMaxTermBytes (a longer word is cut, on a character boundary, the same on both
// sides). Invalid UTF-8 is read as U+FFFD, which is no term.
// Threading: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace aih::odata {

inline constexpr size_t kMaxTermBytes = 120;

// Appends the terms of `text` to `terms`, in order.
void AppendSearchTerms(std::string_view text, std::vector<std::string>* terms);
std::vector<std::string> SearchTerms(std::string_view text);

// The terms of the sender (the from: restriction) are kept apart from the text's by this prefix,
// a private-use character that no term of text contains.
inline constexpr std::string_view kSenderTermPrefix = "\xEE\x80\x80";  // U+E000

}  // namespace aih::odata
