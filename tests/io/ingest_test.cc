#include "caselink/ingest.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "test_util.h"

namespace caselink {
namespace {

using testing::ReadFile;
using testing::TempDir;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = OpenSqliteStore(dir_.File("s.db")).value(); }

  IngestSummary Ingest(const std::string& name, const std::string& content, IngestOptions opts = {}) {
    if (opts.source.empty()) opts.source = "test";
    auto r = IngestFile(*store_, dir_.Write(name, content), opts);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : IngestSummary{};
  }

  // The rejects file as parsed JSON objects.
  std::vector<nlohmann::json> Rejects(const IngestSummary& s) {
    std::vector<nlohmann::json> out;
    std::istringstream in(ReadFile(s.rejects_path));
    std::string line;
    while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
    return out;
  }

  // Ingests one bad line between two good ones and checks the bad one alone
  // is rejected with this field, and the good ones are stored.
  void ExpectRejected(const std::string& bad_line, const std::string& field, const std::string& reason_part) {
    std::string content = R"({"id": "good-1", "schema": "Person", "properties": {"name": ["A B"]}})"
                          "\n" +
                          bad_line +
                          "\n"
                          R"({"id": "good-2", "schema": "Person", "properties": {"name": ["C D"]}})"
                          "\n";
    IngestSummary s = Ingest("in.jsonl", content);
    EXPECT_EQ(s.read, 3);
    EXPECT_EQ(s.accepted, 2);
    EXPECT_EQ(s.rejected, 1);
    auto rejects = Rejects(s);
    ASSERT_EQ(rejects.size(), 1u);
    EXPECT_EQ(rejects[0]["line"], 2);
    EXPECT_EQ(rejects[0]["field"], field);
    EXPECT_NE(rejects[0]["reason"].get<std::string>().find(reason_part), std::string::npos) << rejects[0]["reason"];
    EXPECT_EQ(rejects[0]["input"], bad_line);
    EXPECT_TRUE(store_->GetRecord("good-1").value().has_value());
    EXPECT_TRUE(store_->GetRecord("good-2").value().has_value());
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(IngestTest, StoresEveryValidLineWithTypedNormalisedValues) {
  IngestSummary s = Ingest(
      "a.jsonl",
      R"({"id": "p1", "schema": "Person", "properties": {"name": ["Sherzod Abdullaev"], "phone": ["00998 90 111 22 33"], "birthDate": ["1991-04-12"]}})"
      "\n\n"
      R"({"id": "t1", "schema": "Trip", "properties": {"involved": ["p1"], "startDate": ["2023-03-01"]}})"
      "\n");
  EXPECT_EQ(s.read, 2);  // the blank line is not a row
  EXPECT_EQ(s.accepted, 2);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_FALSE(std::filesystem::exists(s.rejects_path));
  auto p = store_->GetRecord("p1").value();
  ASSERT_TRUE(p);
  ASSERT_EQ(p->Get("phone").size(), 1u);
  EXPECT_EQ(p->Get("phone")[0]->norm, "+998901112233");
  EXPECT_EQ(p->Get("phone")[0]->type, ValueType::kPhone);
  EXPECT_EQ(p->Get("name")[0]->norm, "abdullaev sherzod");
}

TEST_F(IngestTest, RejectsMalformedJson) {
  ExpectRejected(R"({"id": "x", "schema": "Person", "properties": {"name": ["Bro)", "", "malformed JSON");
}
TEST_F(IngestTest, RejectsAnUnknownSchema) {
  ExpectRejected(R"({"id": "x", "schema": "Spaceship"})", "schema", "unknown schema 'Spaceship'");
}
TEST_F(IngestTest, RejectsAnAbstractSchema) {
  ExpectRejected(R"({"id": "x", "schema": "Thing"})", "schema", "abstract");
}
TEST_F(IngestTest, RejectsAnUnknownProperty) {
  ExpectRejected(R"({"id": "x", "schema": "Person", "properties": {"wingspan": ["2m"]}})", "properties.wingspan",
                 "no property 'wingspan'");
}
TEST_F(IngestTest, RejectsAValueThatIsNoString) {
  ExpectRejected(R"({"id": "x", "schema": "Person", "properties": {"name": [{"first": "A"}]}})", "properties.name",
                 "must be strings");
}

// A value that does not read never costs its record: the record is stored
// with the value as written (and what part of it did read), the value is
// listed in the rejects file with its line, field and reason, and the run
// says so (IngestSummary::values_kept_raw; the command exits 3).
TEST_F(IngestTest, AnUnreadableValueIsKeptAsWrittenAndListed) {
  struct Case {
    std::string line, id, property, raw, norm, reason;
  } cases[] = {
      {R"({"id": "d", "schema": "Person", "properties": {"name": ["A B"], "birthDate": ["1990-13-45"]}})", "d",
       "birthDate", "1990-13-45", "1990", "month 13"},
      {R"({"id": "p", "schema": "Person", "properties": {"phone": ["ask reception"]}})", "p", "phone", "ask reception",
       "", "not a phone"},
      {R"({"id": "m", "schema": "Payment", "properties": {"amount": ["lots"]}})", "m", "amount", "lots", "",
       "not a number"},
  };
  for (const Case& c : cases) {
    IngestSummary s = Ingest("in-" + c.id + ".jsonl", c.line + "\n");
    EXPECT_EQ(s.accepted, 1) << c.line;
    EXPECT_EQ(s.rejected, 0) << c.line;
    EXPECT_EQ(s.values_kept_raw, 1) << c.line;
    auto record = store_->GetRecord(c.id).value();
    ASSERT_TRUE(record) << c.line;
    ASSERT_EQ(record->Get(c.property).size(), 1u) << c.line;
    EXPECT_EQ(record->Get(c.property)[0]->raw, c.raw);
    EXPECT_EQ(record->Get(c.property)[0]->norm, c.norm);
    auto rejects = Rejects(s);
    ASSERT_EQ(rejects.size(), 1u) << c.line;
    EXPECT_EQ(rejects[0]["line"], 1);
    EXPECT_EQ(rejects[0]["field"], "properties." + c.property);
    EXPECT_EQ(rejects[0]["value"], c.raw);
    EXPECT_EQ(rejects[0]["row"], "kept");
    EXPECT_EQ(rejects[0]["value_kept"], true);
    EXPECT_NE(rejects[0]["reason"].get<std::string>().find(c.reason), std::string::npos) << rejects[0]["reason"];
  }
}

TEST_F(IngestTest, DatesAreReadAsPeopleWriteThem) {
  IngestSummary s = Ingest("d.jsonl", R"({"id": "a", "schema": "Person", "properties": {"birthDate": ["1967-9-27"]}})"
                                      "\n"
                                      R"({"id": "b", "schema": "Person", "properties": {"birthDate": ["27 Sep 1967"]}})"
                                      "\n"
                                      R"({"id": "c", "schema": "Person", "properties": {"birthDate": ["03/04/1970"]}})"
                                      "\n");
  EXPECT_EQ(s.accepted, 3);
  EXPECT_EQ(s.values_kept_raw, 0);
  EXPECT_FALSE(std::filesystem::exists(s.rejects_path));
  EXPECT_EQ(store_->GetRecord("a").value()->Get("birthDate")[0]->norm, "1967-09-27");
  EXPECT_EQ(store_->GetRecord("b").value()->Get("birthDate")[0]->norm, "1967-09-27");
  // Day and month could be either: both readings are kept, of the one text.
  auto c = store_->GetRecord("c").value();
  ASSERT_EQ(c->Get("birthDate").size(), 2u);
  EXPECT_EQ(c->Get("birthDate")[0]->norm, "1970-04-03");
  EXPECT_EQ(c->Get("birthDate")[1]->norm, "1970-03-04");
  EXPECT_EQ(c->Get("birthDate")[1]->raw, "03/04/1970");
  EXPECT_EQ(CanonicalJson(*c).find("03/04/1970"), CanonicalJson(*c).rfind("03/04/1970")) << "the text written once";
}
TEST_F(IngestTest, RejectsAMissingId) {
  ExpectRejected(R"({"schema": "Person", "properties": {"name": ["No Id"]}})", "id", "missing entity id");
}
TEST_F(IngestTest, RejectsALineThatIsNoObject) { ExpectRejected(R"(["a", "b"])", "", "one JSON object"); }

TEST_F(IngestTest, KeepsAReferenceToAnUnknownEntity) {
  IngestSummary s =
      Ingest("a.jsonl", R"({"id": "pay", "schema": "Payment", "properties": {"payer": ["not-yet-ingested"]}})"
                        "\n");
  EXPECT_EQ(s.accepted, 1);
  auto r = store_->GetRecord("pay").value();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->First("payer"), "not-yet-ingested");
}

TEST_F(IngestTest, ReingestingUnchangedRecordsAddsNothingAndChangedOnesGetAVersion) {
  std::string v1 = R"({"id": "p1", "schema": "Person", "properties": {"name": ["Ana"]}})"
                   "\n";
  EXPECT_EQ(Ingest("a.jsonl", v1).inserted, 1);
  IngestSummary again = Ingest("a.jsonl", v1);
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(again.inserted, 0);
  // Property order and duplicate values are not content changes.
  IngestSummary reordered =
      Ingest("a.jsonl", R"({"schema": "Person", "properties": {"name": ["Ana", "Ana"]}, "id": "p1"})"
                        "\n");
  EXPECT_EQ(reordered.unchanged, 1);
  IngestSummary changed = Ingest("a.jsonl", R"({"id": "p1", "schema": "Person", "properties": {"name": ["Anna"]}})"
                                            "\n");
  EXPECT_EQ(changed.updated, 1);
  EXPECT_EQ(store_->GetRecord("p1").value()->version, 2);
  EXPECT_EQ(store_->Counts()->records, 1);
}

TEST_F(IngestTest, AMissingFileIsNotFoundNamingIt) {
  IngestOptions opts;
  opts.source = "x";
  auto r = IngestFile(*store_, dir_.File("missing.jsonl"), opts);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("missing.jsonl"), std::string::npos);
}

TEST_F(IngestTest, ABatchThatFailsInTheStoreLeavesNothingBehind) {
  // A second connection holds the write lock: the ingest cannot begin, and
  // nothing from the file may appear later.
  auto other = OpenSqliteStore(dir_.File("s.db"), StoreOptions{50}).value();
  ASSERT_TRUE(other->Begin().ok());
  auto blocked = OpenSqliteStore(dir_.File("s.db"), StoreOptions{50}).value();
  IngestOptions opts;
  opts.source = "x";
  auto r = IngestFile(*blocked,
                      dir_.Write("a.jsonl", R"({"id": "p1", "schema": "Person"})"
                                            "\n"),
                      opts);
  EXPECT_EQ(r.status().code(), StatusCode::kBusy);
  ASSERT_TRUE(other->Rollback().ok());
  EXPECT_EQ(store_->Counts()->records, 0);
}

// ---- CSV through a mapping

const char* kMapping = R"(
[csv]
delimiter = ","

[[entity]]
key = "person"
schema = "Person"
id = "{$source}-{pid}"
[entity.properties]
name = { template = "{first} {last}" }
birthDate = { column = "dob", date_format = "%d/%m/%Y" }
phone = "phone"

[[entity]]
key = "passport"
schema = "Passport"
id = "pp-{passport}"
[entity.properties]
number = "passport"
holder = { entity = "person" }
)";

TEST_F(IngestTest, CsvRowsBecomeEntitiesWithReferencesBetweenThem) {
  IngestOptions opts;
  opts.mapping_path = dir_.Write("m.toml", kMapping);
  opts.source = "consulate";
  IngestSummary s = Ingest("c.csv",
                           "pid,first,last,dob,phone,passport\n"
                           "1,Sherzod,Abdullaev,12/04/1991,+998901112233,FA1234567\n"
                           "2,\"Gulnora, Jr\",Rakhimova,30/07/1995,,FA5550001\r\n",
                           opts);
  EXPECT_EQ(s.read, 2);
  EXPECT_EQ(s.accepted, 2);
  EXPECT_EQ(s.inserted, 4);
  auto p = store_->GetRecord("consulate-1").value();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->First("name"), "Sherzod Abdullaev");
  EXPECT_EQ(p->First("birthDate"), "12/04/1991");  // as written
  EXPECT_EQ(p->Get("birthDate")[0]->norm, "1991-04-12");
  EXPECT_EQ(store_->GetRecord("consulate-2").value()->First("name"), "Gulnora, Jr Rakhimova");
  EXPECT_EQ(store_->GetRecord("pp-FA1234567").value()->First("holder"), "consulate-1");
}

TEST_F(IngestTest, ACsvRowWithTooFewColumnsIsRejectedWithItsLine) {
  IngestOptions opts;
  opts.mapping_path = dir_.Write("m.toml", kMapping);
  IngestSummary s = Ingest("c.csv",
                           "pid,first,last,dob,phone,passport\n"
                           "1,Sherzod,Abdullaev,12/04/1991,+998901112233,FA1234567\n"
                           "2,Gulnora,Rakhimova\n"
                           "3,Jasur,Karimov,02/11/1988,,FA7654321\n",
                           opts);
  EXPECT_EQ(s.read, 3);
  EXPECT_EQ(s.accepted, 2);
  EXPECT_EQ(s.rejected, 1);
  auto rejects = Rejects(s);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0]["line"], 3);
  EXPECT_NE(rejects[0]["reason"].get<std::string>().find("3 fields but the header has 6"), std::string::npos);
}

TEST_F(IngestTest, ARowWithABadValueIsStoredAndTheValueListedNamingTheColumn) {
  IngestOptions opts;
  opts.mapping_path = dir_.Write("m.toml", kMapping);
  IngestSummary s = Ingest("c.csv", "pid,first,last,dob,phone,passport\n1,A,B,31/02/1990,,FA1\n", opts);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_EQ(s.values_kept_raw, 1);
  auto rejects = Rejects(s);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0]["line"], 2);
  EXPECT_EQ(rejects[0]["field"], "column 'dob' (birthDate)");
  EXPECT_EQ(rejects[0]["value"], "31/02/1990");
  EXPECT_EQ(store_->Counts()->records, 2);  // the person and the passport
  auto p = store_->GetRecord("test-1").value();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->Get("birthDate")[0]->norm, "1990-02");  // the sound part
}

TEST_F(IngestTest, AMappingsNullValuesAndDateFormatsAreHonoured) {
  IngestOptions opts;
  opts.mapping_path = dir_.Write("m.toml", R"(
[csv]
null_values = ["N/A", "unknown"]
[[entity]]
schema = "Person"
id = "{pid}"
[entity.properties]
name = "name"
birthDate = { column = "dob", date_format = ["%m/%d/%Y", "%Y"] }
)");
  IngestSummary s = Ingest("c.csv", "pid,name,dob\n1,Ann Lee,03/04/1970\n2,UNKNOWN,n/a\n3,Bo Li,1955\n", opts);
  EXPECT_EQ(s.accepted, 3);
  EXPECT_EQ(s.values_kept_raw, 0);
  EXPECT_EQ(store_->GetRecord("1").value()->Get("birthDate")[0]->norm, "1970-03-04");  // the listed format
  EXPECT_EQ(store_->GetRecord("1").value()->Get("birthDate").size(), 1u);
  EXPECT_TRUE(store_->GetRecord("2").value()->values.empty());
  EXPECT_EQ(store_->GetRecord("3").value()->Get("birthDate")[0]->norm, "1955");
}

TEST_F(IngestTest, AMappingIsCheckedBeforeAnyRow) {
  IngestOptions opts;
  opts.source = "test";
  for (const char* spec : {R"(birthDate = { column = "dob", date_format = "%d/%m/%H" })",
                           R"(birthDate = { column = "dob", date_format = "%d/%m" })",
                           R"(birthDate = { column = "dob", on_invalid = "reject" })"}) {
    opts.mapping_path = dir_.Write("bad.toml", std::string("[[entity]]\nschema = \"Person\"\nid = \"{pid}\"\n"
                                                           "[entity.properties]\n") +
                                                   spec + "\n");
    auto r = IngestFile(*store_, dir_.Write("c.csv", "pid,dob\n1,x\n"), opts);
    ASSERT_FALSE(r.ok()) << spec;
    EXPECT_NE(r.status().message().find("properties.birthDate"), std::string::npos) << r.status().message();
  }
}

TEST_F(IngestTest, AMappingNamingAMissingColumnStopsBeforeAnyRow) {
  IngestOptions opts;
  opts.mapping_path = dir_.Write("m.toml", kMapping);
  opts.source = "x";
  auto r = IngestFile(*store_, dir_.Write("c.csv", "pid,first,surname,dob,phone,passport\n1,A,B,,,\n"), opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("column 'last'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("surname"), std::string::npos);  // lists what the file has
  EXPECT_EQ(store_->Counts()->records, 0);
}

// Found by the mapping fuzz target: `column =` names a header exactly, even one
// with braces in it, which a template could not name.
TEST_F(IngestTest, AColumnIsNamedExactlyEvenWithBracesInItsName) {
  IngestOptions opts;
  opts.mapping_path = dir_.Write(
      "m.toml", "[[entity]]\nschema = \"Person\"\nid = \"p{id}\"\n[entity.properties]\nname = \"name{x}\"\n");
  opts.source = "x";
  IngestSummary s = Ingest("c.csv", "id,name{x}\n1,Jasur Karimov\n", opts);
  EXPECT_EQ(s.accepted, 1);
  EXPECT_EQ(store_->GetRecord("p1").value()->First("name"), "Jasur Karimov");
}

TEST_F(IngestTest, AMappingWithAnUnknownPropertyIsRefused) {
  IngestOptions opts;
  opts.mapping_path =
      dir_.Write("m.toml", "[[entity]]\nschema = \"Person\"\nid = \"{a}\"\n[entity.properties]\nwingspan = \"a\"\n");
  opts.source = "x";
  auto r = IngestFile(*store_, dir_.Write("c.csv", "a\n1\n"), opts);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("wingspan"), std::string::npos);
}

TEST_F(IngestTest, AMappingWithBrokenTomlSaysWhere) {
  IngestOptions opts;
  opts.mapping_path = dir_.Write("m.toml", "[[entity]\nschema = ");
  opts.source = "x";
  auto r = IngestFile(*store_, dir_.Write("c.csv", "a\n1\n"), opts);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("m.toml:1"), std::string::npos) << r.status().message();
}

// The shipped mappings store every row of the public test files.
TEST_F(IngestTest, FebrlAndSplinkFilesAreStoredWhole) {
  struct Case {
    const char* file;
    const char* mapping;
    int rows;
  } cases[] = {{"febrl/dataset1.csv", "mappings/febrl.toml", 1000},
               {"febrl/dataset3.csv", "mappings/febrl.toml", 5000},
               {"febrl/dataset4a.csv", "mappings/febrl.toml", 5000},
               {"febrl/dataset4b.csv", "mappings/febrl.toml", 5000},
               {"splink_fake1000/fake_1000_from_splink_demos.csv", "mappings/splink_fake1000.toml", 1000}};
  int64_t total = 0;
  for (const Case& c : cases) {
    IngestOptions opts;
    opts.mapping_path = std::string(CASELINK_SOURCE_DIR) + "/" + c.mapping;
    opts.source = std::filesystem::path(c.file).stem().string();
    opts.rejects_path = dir_.File("rejects.jsonl");  // never write into shared data
    auto r = IngestFile(*store_, testing::SharedData(c.file), opts);
    ASSERT_TRUE(r.ok()) << c.file << ": " << r.status().message();
    EXPECT_EQ(r->read, c.rows) << c.file;
    EXPECT_EQ(r->accepted, c.rows) << c.file;
    EXPECT_EQ(r->rejected, 0) << c.file;
    total += c.rows;
  }
  EXPECT_EQ(store_->Counts()->records, total);
  auto rec = store_->GetRecord("dataset3-rec-1496-org").value();
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->First("name"), "mitchell green");
  EXPECT_EQ(rec->Get("birthDate")[0]->norm, "1956-04-09");
  EXPECT_EQ(rec->First("idNumber"), "1804974");
}

}  // namespace
}  // namespace caselink
