// Normalisation of property values into the forms caselink matches on.
//
// This is the first, deliberately simple version (exact keys); the names
// module (issue 4) replaces NameKey with transliteration-aware skeletons.
// All functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "caselink/record.h"
#include "caselink/status.h"

namespace caselink {

// A phone number in E.164 ("+998901112233"). Accepts international forms
// ("+998 90 111 22 33", "00998901112233") and, with a default region ("UZ"),
// national ones. Fails when the text holds no plausible number.
Result<std::string> NormalizePhone(std::string_view raw, std::string_view default_region = "");

// An account, passport or document number: letters upper-cased, spaces and
// punctuation dropped ("TR33 0006 1005" -> "TR3300061005"). Empty if no
// letters or digits remain.
std::string NormalizeIdentifier(std::string_view raw);

// An FtM date prefix: "1991", "1991-04" or "1991-04-12" (a time part, if any,
// is dropped). Fails on impossible months or days ("1990-13-45").
Result<std::string> NormalizeDate(std::string_view raw);

// Parses `raw` with a strftime-like `format` made of %Y %m %d and literal
// characters (e.g. "%Y%m%d", "%d/%m/%Y") into an FtM date.
Result<std::string> ParseDateWithFormat(std::string_view raw, std::string_view format);

// Unicode text folded to lower-case ASCII: NFKC, case folding, any script
// transliterated to Latin, diacritics removed ("Эргашев" -> "ergasev").
std::string FoldToAscii(std::string_view text);

// A gender as identity evidence: "male" or "female" from the ways records
// write them ("M", "Male", "woman"), "" for anything else (unknown, "other",
// "x"), which says nothing either way.
std::string NormalizeGender(std::string_view raw);

// An order-insensitive exact key for a full name: folded tokens of letters and
// digits, sorted ("ABDULLAEV, Sherzod" and "Sherzod Abdullaev" ->
// "abdullaev sherzod").
std::string NameKey(std::string_view name);

// Fills value.norm from value.raw according to value.type. Returns a DataError
// naming the property and value when the text is not a valid value of its type
// (an invalid date, a phone with no number in it, a non-numeric number).
Status NormalizeValue(Value& value, std::string_view default_region = "");

}  // namespace caselink
