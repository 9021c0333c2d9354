// The UN and FtM watchlist readers and the country table: on the published
// UN consolidated XML of 2026-02-27 and on small fixtures for the FtM reader
// and the error paths (OFAC: ofac_reader_test.cc). Expected values were read
// off the files by hand; each test says which entry it checks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "caselink/watchlist.h"
#include "screen/list_test_util.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::CountKind;
using testing::Documents;
using ::testing::ElementsAre;
using testing::FindEntry;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Names;
using testing::ReadOrFail;
using testing::SharedData;
using testing::TempDir;

const std::string kUnXml = "un_consolidated_2026/UN_consolidated.xml";

// The published list is read once for all tests.
const Watchlist& Un() {
  static const Watchlist list = ReadOrFail(ReadUnConsolidatedXml(SharedData(kUnXml)));
  return list;
}

// --- UN consolidated list -------------------------------------------------

TEST(UnXml, Reads730IndividualsAnd273EntitiesWithoutRejects) {
  const Watchlist& list = Un();
  EXPECT_EQ(list.format, ListFormat::kUnXml);
  EXPECT_EQ(list.entries.size(), 1003u);
  EXPECT_EQ(CountKind(list, ListedKind::kPerson), 730u);
  EXPECT_EQ(CountKind(list, ListedKind::kOrganization), 273u);
  EXPECT_THAT(list.rejects, IsEmpty());
}

TEST(UnXml, KnownIndividualHasNamesAliasesOriginalScriptDatesAndDocuments) {
  // QDi.428, listed 2020-10-08.
  const WatchlistEntry* e = FindEntry(Un(), "6908833");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, ListedKind::kPerson);
  EXPECT_EQ(e->line, 30642);
  EXPECT_THAT(Names(*e), ElementsAre("JAMAL HUSSEIN HASSAN ZEINIYE [primary]",
                                     "جمال حسين حسن زينيه [original script, original script]",
                                     "Jamal Husayn Zayniyah [alias]", "Abu Malek El Talleh [alias, low]",
                                     "Abu Hussein [alias, low]", "abu-Malik al-Ansari [alias, low]",
                                     "Abu-Malik al-Shami [alias, low]", "Abu-Malik al-Talli [alias, low]"));
  EXPECT_THAT(e->birth_dates, ElementsAre("1972-08-17", "1972-01-01"));
  EXPECT_THAT(e->nationalities, ElementsAre("sy"));  // "Syrian Arab Republic"
  EXPECT_THAT(e->countries, ElementsAre("sy", "lb", "ly"));
  // The number is published with a trailing space; the second id has no issuing country.
  EXPECT_THAT(Documents(*e), ElementsAre("Passport 3987189 sy", "National Identification Number 13080011550 ",
                                         "National Identification Number 5877002 sy"));
  EXPECT_EQ(e->gender, "male");
  EXPECT_EQ(e->program, "Al-Qaida");
  EXPECT_EQ(e->listed_on, "2020-10-08");
  EXPECT_THAT(e->remarks, HasSubstr("Mother’s name is Amina Tohmeh."));
}

TEST(UnXml, CountsNamesLowQualityAliasesAndOriginalScripts) {
  size_t names = 0, low = 0, original = 0;
  for (const WatchlistEntry& e : Un().entries) {
    names += e.names.size();
    for (const ListedName& n : e.names) {
      low += n.low_quality;
      original += n.original_script;
    }
  }
  // 1,003 primary names; 378 NAME_ORIGINAL_SCRIPT and 10 aliases written in
  // Arabic; 615 QUALITY Low elements, two of which hold two names.
  EXPECT_EQ(names, 4181u);
  EXPECT_EQ(low, 617u);
  EXPECT_EQ(original, 388u);
}

TEST(UnXml, BetweenYearsBecomeEveryYearInTheRange) {
  // Mohammad Hassan Akhund: BETWEEN 1955 and 1958, and BETWEEN 1945 and 1950.
  const WatchlistEntry* e = FindEntry(Un(), "110577");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->birth_dates,
              ElementsAre("1955", "1956", "1957", "1958", "1945", "1946", "1947", "1948", "1949", "1950"));
}

TEST(UnXml, ApproximateYearIsTheYearAndOneEachSide) {
  const WatchlistEntry* e = FindEntry(Un(), "6908834");  // APPROXIMATELY 1977
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->birth_dates, ElementsAre("1976", "1977", "1978"));
}

TEST(UnXml, EntityFormerNamesAreKindFormerly) {
  const WatchlistEntry* e = FindEntry(Un(), "690751");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, ListedKind::kOrganization);
  EXPECT_THAT(Names(*e),
              ElementsAre("KOREA RYONBONG GENERAL CORPORATION [primary]", "KOREA YONBONG GENERAL CORPORATION [alias]",
                          "LYONGAKSAN GENERAL TRADING CORPORATION [formerly]"));
  EXPECT_THAT(e->countries, ElementsAre("kp"));
}

TEST(UnXml, LongRangesAreCutAndEntriesWithoutIdOrNameAreRejectedWithTheirLine) {
  TempDir dir;
  std::string path = dir.Write("list.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <FIRST_NAME>WIDE</FIRST_NAME><SECOND_NAME>RANGE</SECOND_NAME>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1990</FROM_YEAR><TO_YEAR>1940</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <FIRST_NAME>NO ID</FIRST_NAME>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY><DATAID>3</DATAID><FIRST_NAME/></ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
)");
  Result<Watchlist> r = ReadUnConsolidatedXml(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->entries.size(), 1u);
  const std::vector<std::string>& dates = r->entries[0].birth_dates;
  ASSERT_EQ(dates.size(), 20u);
  EXPECT_EQ(dates.front(), "1940");
  EXPECT_EQ(dates.back(), "1959");
  EXPECT_THAT(r->rejects, ElementsAre(path + ":9: INDIVIDUAL without a DATAID",
                                      path + ":14: ENTITY DATAID 3 has no name in FIRST_NAME..FOURTH_NAME"));
}

TEST(UnXml, ImpossibleDatesAndYearsBeforeTheYear1000AreLeftOut) {
  // Found by the un_xml fuzz target: "about 1000" gave "999", and a DATE with
  // day 97 or month 28 was taken as published (tests/fuzz/corpus/un_xml/).
  TempDir dir;
  std::string path = dir.Write("list.xml", R"(<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>
<DATAID>1</DATAID><FIRST_NAME>OLD</FIRST_NAME>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1000</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1972-08-97</DATE></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>0945</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_ALIAS><ALIAS_NAME>OLDER</ALIAS_NAME><DATE_OF_BIRTH>1972-28-17</DATE_OF_BIRTH></INDIVIDUAL_ALIAS>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>)");
  Result<Watchlist> r = ReadUnConsolidatedXml(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->entries.size(), 1u);
  EXPECT_THAT(r->entries[0].birth_dates, ElementsAre("1000", "1001"));
}

TEST(UnXml, MissingFileIsNotFound) {
  Result<Watchlist> r = ReadUnConsolidatedXml("/nonexistent/UN_consolidated.xml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("/nonexistent/UN_consolidated.xml"));
}

TEST(UnXml, NonXmlIsDataErrorNamingFileAndLine) {
  TempDir dir;
  std::string path = dir.Write("sdn.csv", "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\r\n");
  Result<Watchlist> r = ReadUnConsolidatedXml(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_THAT(r.status().message(), HasSubstr(path + ":1: not the UN consolidated list XML: "));
  EXPECT_THAT(r.status().message(), HasSubstr("Start tag expected"));  // libxml2's own words
}

TEST(UnXml, TruncatedXmlIsDataErrorAtTheLineWhereItBroke) {
  TempDir dir;
  std::string path = dir.Write("cut.xml", "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n<DATAID>1</DA");
  Result<Watchlist> r = ReadUnConsolidatedXml(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_THAT(r.status().message(), HasSubstr(path + ":4: "));
}

TEST(UnXml, OtherXmlIsDataErrorNamingTheRoot) {
  TempDir dir;
  std::string path = dir.Write("other.xml", "<?xml version=\"1.0\"?>\n<sdnList><sdnEntry/></sdnList>\n");
  Result<Watchlist> r = ReadUnConsolidatedXml(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_THAT(r.status().message(), HasSubstr(path + ":2: root element is <sdnList>"));
}

// --- FtM JSON lines --------------------------------------------------------

TEST(FtmList, ReadsScreenableSchemataAndRejectsTheRestWithTheirLines) {
  std::string path = std::string(CASELINK_TESTDATA) + "/screen/watchlist.ftm.json";
  Result<Watchlist> r = ReadFtmWatchlist(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->format, ListFormat::kFtm);
  ASSERT_EQ(r->entries.size(), 3u);
  ASSERT_EQ(r->rejects.size(), 2u);
  EXPECT_EQ(r->rejects[0], path + ":3: schema Sanction is not screened (id tst-sanction-1)");
  EXPECT_THAT(r->rejects[1], HasSubstr(path + ":5: malformed JSON: "));

  const WatchlistEntry& person = r->entries[0];
  EXPECT_EQ(person.source_id, "tst-person-1");
  EXPECT_EQ(person.kind, ListedKind::kPerson);
  EXPECT_EQ(person.line, 1);
  EXPECT_THAT(Names(person),
              ElementsAre("Sherzod Abdullaev [primary]", "Шерзод Абдуллаев [alias, original script]",
                          "Sherzod Abdulaev [alias]", "Sherzod Karimov [formerly]", "Sher [alias, low]"));
  EXPECT_THAT(person.birth_dates, ElementsAre("1971-03-02"));  // "1971-13-40" is no date
  EXPECT_THAT(person.nationalities, ElementsAre("uz", "ru"));
  EXPECT_THAT(person.countries, ElementsAre("kz"));
  EXPECT_THAT(Documents(person), ElementsAre("Passport AA1234567 ", "Identification Number 30203710010023 "));
  EXPECT_EQ(person.gender, "male");
  EXPECT_EQ(person.program, "TEST-UZ");
  EXPECT_EQ(person.remarks, "Fictional entry for the reader tests.");

  const WatchlistEntry& company = r->entries[1];
  EXPECT_EQ(company.kind, ListedKind::kOrganization);
  EXPECT_THAT(Names(company),
              ElementsAre("Silk Road Trading LLC [primary]", "ООО Шёлковый путь [alias, original script]"));
  EXPECT_THAT(company.countries, ElementsAre("uz"));
  EXPECT_EQ(company.program, "test_list; other_list");  // no program property: the datasets

  const WatchlistEntry& vessel = r->entries[2];
  EXPECT_EQ(vessel.kind, ListedKind::kVessel);
  EXPECT_EQ(vessel.line, 6);  // the blank line 4 still counts
  EXPECT_THAT(Documents(vessel), ElementsAre("IMO IMO 9187629 "));
}

TEST(FtmList, MissingFileIsNotFound) {
  Result<Watchlist> r = ReadFtmWatchlist("/nonexistent/entities.ftm.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

// --- Countries -------------------------------------------------------------

TEST(CountryCode, ReadsCodesIcuNamesAndTheListsOwnWritings) {
  EXPECT_EQ(CountryCode("Iran (Islamic Republic of)"), "ir");
  EXPECT_EQ(CountryCode("IRN"), "ir");
  EXPECT_EQ(CountryCode("uz"), "uz");
  EXPECT_EQ(CountryCode("UZ"), "uz");
  EXPECT_EQ(CountryCode("Syrian Arab Republic"), "sy");
  EXPECT_EQ(CountryCode("Korea, North"), "kp");
  EXPECT_EQ(CountryCode("Korea, South"), "kr");
  EXPECT_EQ(CountryCode("Democratic People's Republic of Korea"), "kp");
  EXPECT_EQ(CountryCode("Congo, Democratic Republic of the"), "cd");
  EXPECT_EQ(CountryCode("Democratic Republic of the Congo"), "cd");
  EXPECT_EQ(CountryCode("Congo"), "cg");
  EXPECT_EQ(CountryCode("Côte d'Ivoire"), "ci");
  EXPECT_EQ(CountryCode("Türkiye"), "tr");
  EXPECT_EQ(CountryCode("Viet Nam"), "vn");
  EXPECT_EQ(CountryCode("Bosnia and Herzegovina"), "ba");  // ICU: "Bosnia & Herzegovina"
  EXPECT_EQ(CountryCode("Saint Kitts and Nevis"), "kn");   // ICU: "St. Kitts & Nevis"
  EXPECT_EQ(CountryCode("Macedonia, The Former Yugoslav Republic of"), "mk");
  EXPECT_EQ(CountryCode("The Gambia"), "gm");
  EXPECT_EQ(CountryCode("Kosovo"), "xk");
  EXPECT_EQ(CountryCode("West Bank"), "ps");
  EXPECT_EQ(CountryCode("Burma"), "mm");
  EXPECT_EQ(CountryCode("  Russia. "), "ru");
}

TEST(CountryCode, UnknownTextIsEmpty) {
  EXPECT_EQ(CountryCode("Narnia"), "");
  EXPECT_EQ(CountryCode(""), "");
  EXPECT_EQ(CountryCode("XX"), "");
  EXPECT_EQ(CountryCode("Iranian"), "");  // demonyms are not names
  EXPECT_EQ(CountryCode("Korea"), "");    // which one?
}

TEST(CountryCode, EveryNationalityInTheUnListIsKnownButOne) {
  std::vector<std::string> unknown;
  for (const WatchlistEntry& e : Un().entries) {
    for (const std::string& n : e.nationalities) {
      if (n.size() != 2) unknown.push_back(n);
    }
  }
  EXPECT_THAT(unknown, ElementsAre("former Soviet Union"));
}

TEST(ListedKind, NamesEveryKind) {
  EXPECT_EQ(ListedKindName(ListedKind::kPerson), "Person");
  EXPECT_EQ(ListedKindName(ListedKind::kOrganization), "Organization");
  EXPECT_EQ(ListedKindName(ListedKind::kVessel), "Vessel");
  EXPECT_EQ(ListedKindName(ListedKind::kAircraft), "Aircraft");
  EXPECT_EQ(ListedKindName(ListedKind::kOther), "Other");
}

}  // namespace
}  // namespace caselink
