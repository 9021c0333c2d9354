#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "base/strings.h"
#include "caselink/normalize.h"

namespace caselink {
namespace {

// Building an ICU transliterator parses its rules (milliseconds), so each thread
// builds one once. NFKC first so compatibility forms (full-width letters,
// ligatures) transliterate like their plain forms.
icu::Transliterator* Folder() {
  thread_local std::unique_ptr<icu::Transliterator> folder = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("NFKC; Any-Latin; Latin-ASCII; Any-Lower", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  return folder.get();
}

}  // namespace

std::string FoldToAscii(std::string_view text) {
  if (IsAscii(text)) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (icu::Transliterator* t = Folder()) t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  // Latin-ASCII leaves what it cannot map (e.g. CJK without a Latin rule); drop it.
  out.erase(std::remove_if(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }),
            out.end());
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string NormalizeGender(std::string_view raw) {
  std::string g = FoldToAscii(raw);
  while (!g.empty() && g.back() == ' ') g.pop_back();
  while (!g.empty() && g.front() == ' ') g.erase(g.begin());
  if (g == "m" || g == "male" || g == "man") return "male";
  if (g == "f" || g == "female" || g == "woman") return "female";
  return "";
}

std::string NameKey(std::string_view name) {
  std::string folded = FoldToAscii(name);
  std::vector<std::string> tokens;
  std::string current;
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      current += c;
    } else if (c == '\'' || c == '`') {
      // O'g'li, D'Angelo: an apostrophe inside a token does not split it.
      continue;
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  std::sort(tokens.begin(), tokens.end());
  std::string key;
  for (const auto& t : tokens) {
    if (!key.empty()) key += ' ';
    key += t;
  }
  return key;
}

std::string NormalizeIdentifier(std::string_view raw) {
  std::string out;
  std::string folded = IsAscii(raw) ? std::string(raw) : FoldToAscii(raw);
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace caselink
