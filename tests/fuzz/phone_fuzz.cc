// Fuzzes NormalizePhone, with no default region, with "UZ", and with a region
// taken from the input (the text after its last newline, however odd).
#include <string>
#include <string_view>

#include "caselink/normalize.h"
#include "fuzz/fuzz_check.h"

namespace caselink::fuzz {
namespace {

void CheckPhone(std::string_view raw, std::string_view region) {
  std::string what = "NormalizePhone(" + Quote(raw) + ", " + Quote(region) + ")";
  Result<std::string> phone = NormalizePhone(raw, region);
  if (!phone.ok()) {
    CASELINK_FUZZ_CHECK(!phone.status().message().empty(), what + " failed without a message");
    return;
  }
  const std::string& out = *phone;
  std::string ctx = what + " gave " + Quote(out);
  // E.164, or bare digits when no region tells where a national number is from.
  size_t first_digit = !out.empty() && out[0] == '+' ? 1 : 0;
  CASELINK_FUZZ_CHECK(out.size() > first_digit, ctx);
  for (size_t i = first_digit; i < out.size(); ++i) CASELINK_FUZZ_CHECK(out[i] >= '0' && out[i] <= '9', ctx);
  CASELINK_FUZZ_CHECK(out.size() - first_digit <= 17, ctx);
  bool plus_first = false;
  for (char c : raw) {
    if (c >= '0' && c <= '9') break;
    if (c == '+') plus_first = true;
  }
  // A writer's '+' means the number is international; it stays so.
  if (plus_first) CASELINK_FUZZ_CHECK(first_digit == 1, ctx);
  // Normalised numbers are fixed points, so stored and queried forms meet.
  Result<std::string> again = NormalizePhone(out, region);
  CASELINK_FUZZ_CHECK(again.ok(), ctx + "; re-normalising failed: " + again.status().message());
  CASELINK_FUZZ_CHECK(*again == out, ctx + "; re-normalising gave " + Quote(*again));
}

}  // namespace

int FuzzPhone(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckPhone(text, "");
  CheckPhone(text, "UZ");
  if (size_t nl = text.rfind('\n'); nl != std::string_view::npos) {
    CheckPhone(text.substr(0, nl), text.substr(nl + 1));
  }
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzPhone)
