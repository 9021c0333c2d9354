// The rules are each language's usual transcription of Arabic, Persian and
// Russian names as an English-style romanisation writes them (German after
// Duden; French and Spanish press usage; Turkish and Uzbek Latin
// orthography), applied left to right, the first group that fits winning.
// Where a language writes a sound as English does, the letters stay.
#include "respelling.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace caselink::synth {
namespace {

using Rules = std::vector<std::pair<std::string_view, std::string_view>>;

const Rules& RulesOf(Clerk clerk) {
  static const Rules kFrench = {{"kh", "kh"}, {"sh", "ch"}, {"ch", "tch"}, {"zh", "j"}, {"ou", "ou"}, {"oo", "ou"},
                                {"ee", "i"},  {"j", "dj"},  {"u", "ou"},   {"w", "ou"}, {"q", "k"}};
  static const Rules kGerman = {{"sh", "sch"}, {"ch", "tsch"}, {"zh", "sch"}, {"kh", "ch"}, {"ph", "f"},
                                {"ee", "i"},   {"oo", "u"},    {"ou", "u"},   {"ya", "ja"}, {"ye", "je"},
                                {"yu", "ju"},  {"yo", "jo"},   {"j", "dsch"}, {"v", "w"},   {"z", "s"}};
  static const Rules kSpanish = {{"kh", "j"}, {"sh", "sh"}, {"ch", "ch"}, {"ph", "f"}, {"ee", "i"},
                                 {"oo", "u"}, {"ou", "u"},  {"j", "y"},   {"w", "u"}};
  static const Rules kTurkish = {{"sh", "\xc5\x9f"}, {"ch", "\xc3\xa7"}, {"kh", "h"}, {"zh", "j"}, {"gh", "\xc4\x9f"},
                                 {"th", "s"},        {"dh", "z"},        {"ph", "f"}, {"ee", "i"}, {"oo", "u"},
                                 {"ou", "u"},        {"j", "c"},         {"w", "v"},  {"q", "k"},  {"x", "ks"}};
  static const Rules kUzbek = {{"kh", "x"}, {"zh", "j"}, {"gh", "g\xca\xbb"}, {"ph", "f"}, {"ts", "s"},
                               {"ee", "i"}, {"oo", "u"}, {"ou", "u"},         {"w", "v"}};
  switch (clerk) {
    case Clerk::kFrench: return kFrench;
    case Clerk::kGerman: return kGerman;
    case Clerk::kSpanish: return kSpanish;
    case Clerk::kTurkish: return kTurkish;
    case Clerk::kUzbek: return kUzbek;
  }
  return kFrench;
}

bool IsAsciiWord(const std::string& t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c > 0 && std::isalpha(c); });
}

}  // namespace

std::string_view ClerkName(Clerk clerk) {
  switch (clerk) {
    case Clerk::kFrench: return "french";
    case Clerk::kGerman: return "german";
    case Clerk::kSpanish: return "spanish";
    case Clerk::kTurkish: return "turkish";
    case Clerk::kUzbek: return "uzbek";
  }
  return "french";
}

std::string RespellAs(const std::string& token, Clerk clerk) {
  if (!IsAsciiWord(token)) return token;
  std::string low = token;
  for (char& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string out;
  for (size_t i = 0; i < low.size();) {
    bool done = false;
    for (const auto& [from, to] : RulesOf(clerk)) {
      if (low.compare(i, from.size(), from) == 0) {
        out += to;
        i += from.size();
        done = true;
        break;
      }
    }
    if (!done) out += low[i++];
  }
  const bool upper =
      std::none_of(token.begin(), token.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  if (upper) {
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));  // ASCII letters only
  } else if (std::isupper(static_cast<unsigned char>(token[0])) && !out.empty()) {
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  }
  return out;
}

}  // namespace caselink::synth
