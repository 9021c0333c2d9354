// A name as a clerk of another language writes it in Latin letters.
//
// A French consulate writes Djamil Mourouanachyaka, a German registry
// Dschamil Murwanaschyaka, a Turkish border post Camil Murvanaşyaka, for the
// Jamil Murwanashyaka an English-language list names: every token through the
// clerk's own way of writing the sounds (sh, ch, kh, j, zh, u, w, y). The
// generator writes some records this way (person_names.cc), and
// bench/screen_eval rewrites UN names with it.
#pragma once

#include <string>
#include <string_view>

namespace caselink::synth {

enum class Clerk { kFrench, kGerman, kSpanish, kTurkish, kUzbek };
inline constexpr Clerk kClerks[] = {Clerk::kFrench, Clerk::kGerman, Clerk::kSpanish, Clerk::kTurkish, Clerk::kUzbek};

// "french", "german", ...
std::string_view ClerkName(Clerk clerk);

// One token of an English-style romanisation as `clerk` writes it (Turkish
// ş ç ğ and Uzbek gʻ in UTF-8), in the token's case style (UPPER, Title,
// lower). A token that is not all ASCII letters is returned unchanged.
std::string RespellAs(const std::string& token, Clerk clerk);

}  // namespace caselink::synth
