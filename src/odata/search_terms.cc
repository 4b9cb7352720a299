#include "odata/search_terms.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

namespace aih::odata {
namespace {

using U16 = std::basic_string<UChar>;

bool IsAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// ASCII text needs no tables: folding is lower-casing and a term is a run of letters and digits,
// exactly what the general path makes of it (and most text written to an AI assistant is ASCII).
void AppendAsciiTerms(std::string_view text, std::vector<std::string>* terms) {
  std::string word;
  auto flush = [&] {
    if (!word.empty()) terms->push_back(std::move(word));
    word.clear();
  };
  for (char ch : text) {
    const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
    if (!alnum) {
      flush();
    } else if (word.size() < kMaxTermBytes) {
      word.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
    }
  }
  flush();
}

// Runs an ICU string transformation that preflights its length, as they all do.
template <typename Fn>
U16 Transform(const U16& in, Fn fn) {
  U16 out(in.size() + 16, 0);
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = fn(out.data(), static_cast<int32_t>(out.size()), in, &err);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    out.assign(static_cast<size_t>(n), 0);
    err = U_ZERO_ERROR;
    n = fn(out.data(), static_cast<int32_t>(out.size()), in, &err);
  }
  if (U_FAILURE(err)) return U16();
  out.resize(static_cast<size_t>(n));
  return out;
}

// Scripts written without spaces between words.
bool IsUnspacedScript(UScriptCode script) {
  switch (script) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

bool IsSharedScript(UScriptCode script) { return script == USCRIPT_COMMON || script == USCRIPT_INHERITED; }

bool IsTermCharacter(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) != 0;
}

void AppendUtf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  out.append(buf, static_cast<size_t>(n));
}

// Folds case, decomposes, drops the diacritics of spaced scripts and composes again (so that what
// remains of Hangul, kana and Thai is in its usual, composed form).
U16 Fold(std::string_view text) {
  UErrorCode err = U_ZERO_ERROR;
  U16 utf16(text.size() + 1, 0);
  int32_t length = 0;
  u_strFromUTF8WithSub(utf16.data(), static_cast<int32_t>(utf16.size()), &length, text.data(),
                       static_cast<int32_t>(text.size()), 0xFFFD, nullptr, &err);
  if (U_FAILURE(err)) return U16();
  utf16.resize(static_cast<size_t>(length));
  U16 folded = Transform(utf16, [](UChar* dest, int32_t cap, const U16& in, UErrorCode* e) {
    return u_strFoldCase(dest, cap, in.data(), static_cast<int32_t>(in.size()), U_FOLD_CASE_DEFAULT, e);
  });
  const UNormalizer2* nfkd = unorm2_getNFKDInstance(&err);
  const UNormalizer2* nfc = unorm2_getNFCInstance(&err);
  if (U_FAILURE(err)) return U16();
  U16 decomposed = Transform(folded, [nfkd](UChar* dest, int32_t cap, const U16& in, UErrorCode* e) {
    return unorm2_normalize(nfkd, in.data(), static_cast<int32_t>(in.size()), dest, cap, e);
  });
  U16 bare;
  bare.reserve(decomposed.size());
  bool base_unspaced = false;  // the script of the last base character
  for (int32_t i = 0; i < static_cast<int32_t>(decomposed.size());) {
    const int32_t start = i;
    UChar32 c;
    U16_NEXT(decomposed.data(), i, static_cast<int32_t>(decomposed.size()), c);
    const bool mark = (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
    UErrorCode script_err = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &script_err);
    if (mark && script == USCRIPT_INHERITED && !base_unspaced) continue;  // a diacritic: folded away
    if (!mark) base_unspaced = IsUnspacedScript(script);
    bare.append(decomposed, static_cast<size_t>(start), static_cast<size_t>(i - start));
  }
  return Transform(bare, [nfc](UChar* dest, int32_t cap, const U16& in, UErrorCode* e) {
    return unorm2_normalize(nfc, in.data(), static_cast<int32_t>(in.size()), dest, cap, e);
  });
}

}  // namespace

void AppendSearchTerms(std::string_view text, std::vector<std::string>* terms) {
  if (IsAscii(text)) return AppendAsciiTerms(text, terms);
  const U16 folded = Fold(text);
  std::string word;               // the spaced-script word being read
  std::vector<UChar32> run;       // the unspaced-script run being read
  auto flush_word = [&] {
    if (!word.empty()) terms->push_back(std::move(word));
    word.clear();
  };
  auto flush_run = [&] {
    if (run.size() == 1) {
      terms->emplace_back();
      AppendUtf8(terms->back(), run[0]);
    }
    for (size_t k = 0; k + 1 < run.size(); ++k) {
      terms->emplace_back();
      AppendUtf8(terms->back(), run[k]);
      AppendUtf8(terms->back(), run[k + 1]);
    }
    run.clear();
  };
  for (int32_t i = 0; i < static_cast<int32_t>(folded.size());) {
    UChar32 c;
    U16_NEXT(folded.data(), i, static_cast<int32_t>(folded.size()), c);
    if (!IsTermCharacter(c)) {
      flush_word();
      flush_run();
      continue;
    }
    UErrorCode err = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &err);
    // A letter or mark every script uses (the long-vowel mark "ー") belongs to the run it is in; a
    // digit is a word of its own, as it is in a query of digits alone.
    const bool number = (U_GET_GC_MASK(c) & U_GC_N_MASK) != 0;
    const bool unspaced = IsSharedScript(script) && !number ? !run.empty() : IsUnspacedScript(script);
    if (unspaced) {
      flush_word();
      run.push_back(c);
    } else {
      flush_run();
      if (word.size() + U8_LENGTH(c) <= kMaxTermBytes) AppendUtf8(word, c);
    }
  }
  flush_word();
  flush_run();
}

std::vector<std::string> SearchTerms(std::string_view text) {
  std::vector<std::string> terms;
  AppendSearchTerms(text, &terms);
  return terms;
}

}  // namespace aih::odata
