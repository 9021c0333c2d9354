// Shared by the fuzz targets: entry points, and invariant checks that say
// which property of a parser broke and on what input.
//
// Each target is a plain function, caselink::fuzz::Fuzz<Name>, so that one
// binary (tests/fuzz/fuzz_smoke_test.cc, built by any compiler) can run them
// all; CASELINK_FUZZ_ENTRY adds libFuzzer's LLVMFuzzerTestOneInput only when
// the file is built as a libFuzzer executable (CASELINK_LIBFUZZER defined).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace caselink::fuzz {

// Each returns 0 (libFuzzer's "keep going"); a broken invariant throws
// InvariantFailure, which libFuzzer reports as a crash with the input.
int FuzzFtmLine(const uint8_t* data, size_t size);
int FuzzCsvReader(const uint8_t* data, size_t size);
int FuzzMapping(const uint8_t* data, size_t size);
int FuzzDate(const uint8_t* data, size_t size);
int FuzzPhone(const uint8_t* data, size_t size);
int FuzzName(const uint8_t* data, size_t size);
int FuzzUnXml(const uint8_t* data, size_t size);
int FuzzOfacCsv(const uint8_t* data, size_t size);
int FuzzFtmList(const uint8_t* data, size_t size);
int FuzzClkFile(const uint8_t* data, size_t size);
int FuzzLinkageSchema(const uint8_t* data, size_t size);

class InvariantFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The input under test, quoted in failure messages. Set by each target for the
// duration of one call; not thread-safe (neither is libFuzzer's loop).
class CurrentInput {
 public:
  CurrentInput(const uint8_t* data, size_t size);
  ~CurrentInput();
  CurrentInput(const CurrentInput&) = delete;
  CurrentInput& operator=(const CurrentInput&) = delete;
};

// Throws InvariantFailure naming the check, where it is, `detail` and the
// current input in hex (the first 512 bytes).
[[noreturn]] void Fail(const char* check, const char* file, int line, const std::string& detail);

// "41 42 0a": bytes in hex, for messages and reproducers.
std::string Hex(std::string_view bytes, size_t limit = 512);

// A value in a message: quoted, control and non-ASCII bytes escaped, shortened.
std::string Quote(std::string_view text, size_t limit = 120);

}  // namespace caselink::fuzz

#define CASELINK_FUZZ_CHECK(cond, detail)                                     \
  do {                                                                        \
    if (!(cond)) ::caselink::fuzz::Fail(#cond, __FILE__, __LINE__, (detail)); \
  } while (0)

#if defined(CASELINK_LIBFUZZER)
#define CASELINK_FUZZ_ENTRY(fn) \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return ::caselink::fuzz::fn(data, size); }
#else
#define CASELINK_FUZZ_ENTRY(fn)
#endif
