// Fuzzes io::FtmLineParser and then io::BuildRecord on what it reads: the path
// every FtM JSON line takes into the store.
#include <string>
#include <vector>

#include "caselink/normalize.h"
#include "caselink/schema.h"
#include "fuzz/fuzz_check.h"
#include "io/entity_builder.h"
#include "io/row_reader.h"

namespace caselink::fuzz {
namespace {

bool HasOuterSpace(const std::string& text) {
  static const std::string kSpace = " \t\r\n";
  return !text.empty() &&
         (kSpace.find(text.front()) != std::string::npos || kSpace.find(text.back()) != std::string::npos);
}

void CheckRecord(const Record& record, const std::string& ctx) {
  CASELINK_FUZZ_CHECK(!record.id.empty() && record.id.size() <= 512, ctx + ": id " + Quote(record.id));
  const Schema* schema = FindSchema(record.schema);
  CASELINK_FUZZ_CHECK(schema != nullptr && !schema->abstract(), ctx + ": schema " + Quote(record.schema));
  for (size_t i = 0; i < record.values.size(); ++i) {
    const Value& v = record.values[i];
    std::string vctx =
        ctx + ": value " + std::to_string(i) + " " + v.property + "=" + Quote(v.raw) + " (norm " + Quote(v.norm) + ")";
    const PropertyDef* def = schema->FindProperty(v.property);
    CASELINK_FUZZ_CHECK(def != nullptr && def->type == v.type, vctx + ": wrong property or type");
    // Values are stored trimmed; an all-space value is absent, not empty.
    CASELINK_FUZZ_CHECK(!v.raw.empty() && !HasOuterSpace(v.raw), vctx + ": not trimmed");
    if (i > 0) {
      CASELINK_FUZZ_CHECK(record.values[i - 1].property <= v.property, vctx + ": values not sorted by property");
      for (size_t j = 0; j < i; ++j) {
        const Value& u = record.values[j];
        // One text twice only as a date read two ways (03/04/1970).
        CASELINK_FUZZ_CHECK(
            u.property != v.property || u.raw != v.raw || (v.type == ValueType::kDate && u.norm != v.norm),
            vctx + ": duplicate value");
      }
    }
    switch (v.type) {
      case ValueType::kDate: {
        // A date that did not read at all is kept raw with no norm.
        if (v.norm.empty()) break;
        Result<std::string> again = NormalizeDate(v.norm);
        CASELINK_FUZZ_CHECK(again.ok() && *again == v.norm, vctx + ": date norm is not canonical");
        break;
      }
      case ValueType::kName:
        CASELINK_FUZZ_CHECK(v.norm == NameKey(v.raw), vctx + ": name norm is not NameKey(raw)");
        break;
      case ValueType::kIdentifier:
      case ValueType::kIban:
        CASELINK_FUZZ_CHECK(v.norm == NormalizeIdentifier(v.raw), vctx + ": identifier norm");
        break;
      case ValueType::kEntity:
        CASELINK_FUZZ_CHECK(v.norm == v.raw, vctx + ": entity norm is not the referenced id");
        break;
      case ValueType::kPhone:
        // A phone that did not read is kept raw with no norm; one that did is E.164 or digits.
        CASELINK_FUZZ_CHECK(v.norm.empty() || NormalizePhone(v.raw).ok() ||
                                v.norm.find_first_not_of("+0123456789") == std::string::npos,
                            vctx + ": phone norm");
        break;
      default: break;
    }
  }
}

// Parses with `parser` and checks what a row may look like afterwards.
io::InputRow ParseLine(io::FtmLineParser& parser, const std::string& text) {
  io::InputRow row;
  row.line = 1;
  row.text = text;
  parser.Parse(&row);
  std::string ctx = "line " + Quote(text);
  CASELINK_FUZZ_CHECK(row.text == text, ctx + ": the parser changed the row text (kept for the rejects file)");
  if (row.ok) {
    CASELINK_FUZZ_CHECK(row.entities.size() == 1,
                        ctx + ": an accepted line gave " + std::to_string(row.entities.size()) + " entities");
  } else {
    CASELINK_FUZZ_CHECK(row.entities.empty(), ctx + ": a rejected line kept entities");
    CASELINK_FUZZ_CHECK(!row.error.reason.empty(), ctx + ": rejected without a reason");
  }
  return row;
}

}  // namespace

int FuzzFtmLine(const uint8_t* data, size_t size) {
  CurrentInput input(data, size);
  std::string text(reinterpret_cast<const char*>(data), size);
  // One parser lives across calls, as in the reader, so state left by one line
  // (simdjson reuses its buffers) must not change how the next is read.
  static io::FtmLineParser reused;
  io::FtmLineParser fresh;
  io::InputRow row = ParseLine(reused, text);
  io::InputRow check = ParseLine(fresh, text);
  CASELINK_FUZZ_CHECK(
      row.ok == check.ok && row.error.field == check.error.field && row.error.reason == check.error.reason &&
          row.entities.size() == check.entities.size(),
      "a reused parser and a fresh one disagree: " + Quote(row.error.reason) + " vs " + Quote(check.error.reason));
  if (!row.ok) return 0;

  // Odd sizes build with a default region, as `caselink ingest --region UZ` does.
  std::string region = size % 2 ? "UZ" : "";
  for (io::RawEntity& entity : row.entities) {
    std::string ctx = "entity " + Quote(entity.id) + " (" + Quote(entity.schema) + ", " +
                      std::to_string(entity.values.size()) + " values)";
    Record record;
    io::RowError error;
    std::vector<io::RowError> warnings;
    if (io::BuildRecord(std::move(entity), region, &record, &error, &warnings)) {
      CheckRecord(record, ctx);
    } else {
      CASELINK_FUZZ_CHECK(!error.field.empty() && !error.reason.empty(),
                          ctx + ": rejected with field " + Quote(error.field) + ", reason " + Quote(error.reason));
    }
    // Nothing in an FtM line asks for values to be dropped: a value that does
    // not read is kept as written, and said, with its field and reason.
    for (const io::RowError& w : warnings) {
      CASELINK_FUZZ_CHECK(w.kept && !w.field.empty() && !w.reason.empty() && !w.value.empty(),
                          ctx + ": value warning " + Quote(w.field) + " " + Quote(w.reason));
    }
  }
  return 0;
}

}  // namespace caselink::fuzz

CASELINK_FUZZ_ENTRY(FuzzFtmLine)
