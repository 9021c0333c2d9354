// The OFAC SDN reader on the published legacy CSV of 2021-07-07 and on
// fixtures for its error paths, and the remarks parser on its own. Expected
// values were read off the files by hand; each test says which entry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caselink/watchlist.h"
#include "screen/list_test_util.h"
#include "screen/ofac_remarks.h"
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

const std::string kOfacDir = "ofac_sdn_2021";

// The published list is read once for all tests.
const Watchlist& Ofac() {
  static const Watchlist list = ReadOrFail(ReadOfacSdn({SharedData(kOfacDir)}));
  return list;
}

TEST(OfacSdn, Reads8976EntriesOfFourKindsWithoutRejects) {
  const Watchlist& list = Ofac();
  EXPECT_EQ(list.format, ListFormat::kOfacSdn);
  EXPECT_EQ(list.entries.size(), 8976u);
  EXPECT_EQ(CountKind(list, ListedKind::kPerson), 4620u);
  EXPECT_EQ(CountKind(list, ListedKind::kOrganization), 3673u);  // SDN_Type "-0-"
  EXPECT_EQ(CountKind(list, ListedKind::kVessel), 406u);
  EXPECT_EQ(CountKind(list, ListedKind::kAircraft), 277u);
  EXPECT_THAT(list.rejects, IsEmpty());
}

TEST(OfacSdn, AttachesEveryAltRowAsAStrongAliasAndRemarksAkasAsWeak) {
  size_t strong = 0, weak = 0, formerly = 0;
  for (const WatchlistEntry& e : Ofac().entries) {
    ASSERT_EQ(e.names.front().kind, "primary") << e.source_id;
    for (size_t i = 1; i < e.names.size(); ++i) {
      (e.names[i].low_quality ? weak : strong) += 1;
      formerly += !e.names[i].low_quality && e.names[i].kind == "formerly";
    }
  }
  EXPECT_EQ(strong, 11910u);  // every row of alt.csv
  EXPECT_EQ(formerly, 369u);  // its fka rows
  EXPECT_EQ(weak, 2441u);     // a.k.a., f.k.a. and n.k.a. clauses of the remarks
}

TEST(OfacSdn, KnownIndividualHasDobNationalityAndDocumentsFromRemarks) {
  // "DOB 22 May 1964; POB Lamerd, Iran; nationality Iran; citizen Iran; ...;
  // Gender Male; Passport A2463775 (Iran); National ID No. 6579726970 (Iran); ..."
  const WatchlistEntry* e = FindEntry(Ofac(), "11786");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->kind, ListedKind::kPerson);
  EXPECT_EQ(e->line, 2290);
  EXPECT_THAT(Names(*e), ElementsAre("QASEMI, Rostam [primary]", "GHASEMI MOHAMMADALI, ROSTAM [alias]",
                                     "GHASEMI, Rostam [alias]"));
  EXPECT_THAT(e->birth_dates, ElementsAre("1964-05-22"));
  EXPECT_THAT(e->nationalities, ElementsAre("ir"));
  EXPECT_THAT(e->countries, ElementsAre("ir"));
  EXPECT_THAT(Documents(*e), ElementsAre("Passport A2463775 ir", "National ID No. 6579726970 ir"));
  EXPECT_EQ(e->gender, "male");
  EXPECT_EQ(e->program, "SDGT; NPWMD; IRGC; IFSR");
}

TEST(OfacSdn, RemarksAkasAreLowQualityAliasesAfterTheStrongOnes) {
  const WatchlistEntry* e = FindEntry(Ofac(), "12625");
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->names.size(), 11u);
  EXPECT_EQ(Names(*e)[8], "KAMCHI, Asanbeka [alias]");
  EXPECT_EQ(Names(*e)[9], "KAMCHI BISHKEKSKIY [alias, low]");
  EXPECT_EQ(Names(*e)[10], "KOLYA-KYRGYZ [alias, low]");
  EXPECT_THAT(e->birth_dates, ElementsAre("1974-08-03", "1973-01-01"));  // DOB and alt. DOB
}

TEST(OfacSdn, DobRangesAndCircaExpandToYears) {
  // "DOB 1951 to 1953; alt. DOB 1960 to 1962; alt. DOB Apr 1961; alt. DOB 1953"
  const WatchlistEntry* naqdi = FindEntry(Ofac(), "12057");
  ASSERT_NE(naqdi, nullptr);
  EXPECT_THAT(naqdi->birth_dates, ElementsAre("1951", "1952", "1953", "1960", "1961", "1962", "1961-04"));
  const WatchlistEntry* circa = FindEntry(Ofac(), "7782");  // "DOB circa 1951"
  ASSERT_NE(circa, nullptr);
  EXPECT_THAT(circa->birth_dates, ElementsAre("1950", "1951", "1952"));
}

TEST(OfacSdn, SdnCommentsCompleteACutRemark) {
  // sdn.csv's remarks end "a.k.a. 'snowsjo"; sdn_comments.csv goes on "hn'; ...".
  const WatchlistEntry* e = FindEntry(Ofac(), "28263");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(Names(*e).back(), "snowsjohn [alias, low]");
  EXPECT_THAT(e->remarks, HasSubstr("a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP."));
}

TEST(OfacSdn, NullFieldsAndTheEndOfFileByteLeaveNoTrace) {
  // The first row is all "-0- " but its name and program; the last row is
  // followed by CRLF and 0x1A.
  const Watchlist& list = Ofac();
  const WatchlistEntry& first = list.entries.front();
  EXPECT_EQ(first.source_id, "36");
  EXPECT_EQ(first.kind, ListedKind::kOrganization);
  EXPECT_EQ(first.remarks, "");
  EXPECT_THAT(first.documents, IsEmpty());
  const WatchlistEntry& last = list.entries.back();
  EXPECT_EQ(last.line, 8976);
  EXPECT_EQ(last.remarks.find('\x1A'), std::string::npos);
  for (const WatchlistEntry& e : list.entries) {
    for (const ListedName& n : e.names) EXPECT_EQ(n.text.find("-0-"), std::string::npos) << e.source_id;
  }
}

TEST(OfacSdn, UnknownEntNumAndMalformedRowsAreRejectedWithFileAndLine) {
  TempDir dir;
  dir.Write("sdn.csv",
            "10,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB circa 1960; "
            "nationality Iran; Passport No. A123 (Iran); a.k.a. 'JD'.\"\r\n"
            "11,\"ACME SHIPPING\",-0- ,\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
            "12,\"TOO FEW\"\r\n"
            "13,\"BROKEN \"QUOTE,-0-\r\n\x1A");
  std::string alt = dir.Write("alt.csv", "10,1,\"aka\",\"DOE, Johnny\",-0- \r\n99,2,\"aka\",\"NOBODY\",-0- \r\n\x1A");
  // An end-of-file byte stuck to the last record, without its CRLF.
  dir.Write("add.csv", "10,1,-0- ,\"Tehran\",\"Iran\",-0- \x1A");
  Result<Watchlist> r = ReadOfacSdn({dir.path().string()});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->entries.size(), 2u);
  const WatchlistEntry& doe = r->entries[0];
  EXPECT_THAT(Names(doe), ElementsAre("DOE, John [primary]", "DOE, Johnny [alias]", "JD [alias, low]"));
  EXPECT_THAT(doe.birth_dates, ElementsAre("1959", "1960", "1961"));
  EXPECT_THAT(doe.nationalities, ElementsAre("ir"));
  EXPECT_THAT(Documents(doe), ElementsAre("Passport A123 ir"));
  EXPECT_THAT(doe.countries, ElementsAre("ir"));
  EXPECT_EQ(r->entries[1].kind, ListedKind::kOrganization);
  EXPECT_EQ(r->entries[1].remarks, "");
  std::string sdn = dir.File("sdn.csv");
  EXPECT_THAT(r->rejects, ElementsAre(sdn + ":3: expected 12 fields, got 2",
                                      sdn + ":4: unexpected text after a closing quote at column 13",
                                      alt + ":2: ent_num 99 is not in sdn.csv"));
}

TEST(OfacSdn, ExplicitFilesAreTakenByBaseName) {
  Result<Watchlist> r = ReadOfacSdn({SharedData(kOfacDir + "/sdn.csv"), SharedData(kOfacDir + "/alt.csv")});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->entries.size(), 8976u);
  const WatchlistEntry* e = FindEntry(*r, "11786");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->names.size(), 3u);
  EXPECT_THAT(e->countries, ElementsAre("ir"));  // from the remarks' POB: no add.csv given
}

TEST(OfacSdn, BadPathsAreNotFoundOrInvalidArgument) {
  Result<Watchlist> missing = ReadOfacSdn({"/nonexistent/sdn.csv"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/sdn.csv"));

  Result<Watchlist> no_folder = ReadOfacSdn({"/nonexistent/ofac"});
  ASSERT_FALSE(no_folder.ok());
  EXPECT_EQ(no_folder.status().code(), StatusCode::kNotFound);

  TempDir empty;
  Result<Watchlist> no_sdn = ReadOfacSdn({empty.path().string()});
  ASSERT_FALSE(no_sdn.ok());
  EXPECT_EQ(no_sdn.status().code(), StatusCode::kNotFound);

  std::string people = empty.Write("people.csv", "1,Jane\n");
  Result<Watchlist> odd = ReadOfacSdn({SharedData(kOfacDir + "/sdn.csv"), people});
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(odd.status().message(), HasSubstr("'" + people + "' is not an OFAC SDN file"));
}

TEST(OfacRemarks, BirthDateClausesInEveryPublishedForm) {
  EXPECT_THAT(OfacBirthDates("01 Jan 1960"), ElementsAre("1960-01-01"));
  EXPECT_THAT(OfacBirthDates("1960"), ElementsAre("1960"));
  EXPECT_THAT(OfacBirthDates("Jan 1960"), ElementsAre("1960-01"));
  EXPECT_THAT(OfacBirthDates("circa 1960"), ElementsAre("1959", "1960", "1961"));
  EXPECT_THAT(OfacBirthDates("circa 1979-1982"), ElementsAre("1979", "1980", "1981", "1982"));
  EXPECT_THAT(OfacBirthDates("1960 to 1962"), ElementsAre("1960", "1961", "1962"));
  EXPECT_THAT(OfacBirthDates("01 Jan 1961 to 31 Dec 1962"), ElementsAre("1961", "1962"));
  EXPECT_THAT(OfacBirthDates("05 Mar 1958 to 05 Mar 1958"), ElementsAre("1958-03-05"));
  EXPECT_EQ(OfacBirthDates("1900 to 1990").size(), 20u);
  EXPECT_THAT(OfacBirthDates("31 Feb 1960"), IsEmpty());
  EXPECT_THAT(OfacBirthDates("unknown"), IsEmpty());
}

TEST(OfacRemarks, ClausesBecomeFieldsAndUnknownOnesAreLeftAlone) {
  WatchlistEntry e;
  e.names.push_back({"X", false, false, "primary"});
  ApplyOfacRemarks(
      "DOB 1970; alt. DOB Mar 1971; POB Cartago, Valle, Colombia; nationality Korea, North; alt. citizen "
      "possibly Palestinian; Gender Female; National ID No. 12 34 (Pakistan) issued 2001; Cedula No. 555; "
      "Passport issued by the ministry; Linked To: SOMEONE; f.k.a. 'OLD NAME'; a.k.a. 'CUT",
      &e);
  EXPECT_THAT(e.birth_dates, ElementsAre("1970", "1971-03"));
  EXPECT_THAT(e.nationalities, ElementsAre("kp", "ps"));
  EXPECT_THAT(e.countries, ElementsAre("co"));
  EXPECT_EQ(e.gender, "female");
  EXPECT_THAT(Documents(e), ElementsAre("National ID No. 12 34 pk", "Cedula No. 555 "));
  EXPECT_THAT(Names(e), ElementsAre("X [primary]", "OLD NAME [formerly, low]"));  // the cut a.k.a. gives nothing
}

}  // namespace
}  // namespace caselink
