#include "caselink/date_reading.h"

#include <gtest/gtest.h>

#include "caselink/normalize.h"

namespace caselink {
namespace {

TEST(ReadDate, ReadsTheLayoutsPeopleWrite) {
  const std::pair<const char*, const char*> cases[] = {
      {"1967-09-27", "1967-09-27"},
      {"1967-9-27", "1967-09-27"},
      {"1967/09/27", "1967-09-27"},
      {"1967.9.7", "1967-09-07"},
      {"19670927", "1967-09-27"},
      {"27/09/1967", "1967-09-27"},
      {"9/27/1967", "1967-09-27"},
      {"27.09.1967", "1967-09-27"},
      {"27-9-1967", "1967-09-27"},
      {"Sep 27 1967", "1967-09-27"},
      {"27 September 1967", "1967-09-27"},
      {"September 27, 1967", "1967-09-27"},
      {"27-SEP-67", "1967-09-27"},
      {"27th of Sept 1967", "1967-09-27"},
      {"Mar 1970", "1970-03"},
      {"1970-03", "1970-03"},
      {"03/1970", "1970-03"},
      {"1970", "1970"},
      {"1967-09-27T10:30:00Z", "1967-09-27"},
      {"27/09/1967 00:00:00", "1967-09-27"},
      {"1 Mar 05", "2005-03-01"},
  };
  for (const auto& [raw, want] : cases) {
    DateReading d = ReadDate(raw);
    EXPECT_EQ(d.date, want) << raw;
    EXPECT_EQ(d.problem, "") << raw;
    EXPECT_EQ(d.alternative, "") << raw;
  }
}

TEST(ReadDate, KeepsBothReadingsWhenDayAndMonthCouldBeEither) {
  DateReading d = ReadDate("03/04/1970");
  EXPECT_EQ(d.date, "1970-04-03");  // day first, as most of the world writes
  EXPECT_EQ(d.alternative, "1970-03-04");
  EXPECT_EQ(d.problem, "");
  // A mapping whose formats put the month first says which reading leads.
  d = ReadDate("03/04/1970", {"%m-%d-%Y"});  // not this layout, but month first
  EXPECT_EQ(d.date, "1970-03-04");
  EXPECT_EQ(d.alternative, "1970-04-03");
  EXPECT_EQ(ReadDate("04/04/1970").alternative, "");  // the same either way
}

TEST(ReadDate, KeepsTheSoundPartsOfAnImpossibleDate) {
  DateReading d = ReadDate("1970-13-05");
  EXPECT_EQ(d.date, "1970");
  EXPECT_NE(d.problem.find("month 13"), std::string::npos) << d.problem;
  d = ReadDate("19371233");  // FEBRL's corrupted dates
  EXPECT_EQ(d.date, "1937-12");
  EXPECT_NE(d.problem.find("day 33"), std::string::npos) << d.problem;
  d = ReadDate("1990-02-30");
  EXPECT_EQ(d.date, "1990-02");
  d = ReadDate("1991-00");
  EXPECT_EQ(d.date, "1991");
  EXPECT_NE(d.problem, "");
  d = ReadDate("0070-05-01");
  EXPECT_EQ(d.date, "");
  EXPECT_NE(d.problem.find("year"), std::string::npos) << d.problem;
}

TEST(ReadDate, SaysWhatItCouldNotRead) {
  for (const char* raw : {"yesterday", "unknown", "12", "1/2/3/4", "99999999999"}) {
    DateReading d = ReadDate(raw);
    EXPECT_EQ(d.date, "") << raw;
    EXPECT_NE(d.problem, "") << raw;
  }
  DateReading d = ReadDate("circa 1970");
  EXPECT_EQ(d.date, "1970");
  EXPECT_NE(d.problem.find("circa"), std::string::npos) << d.problem;
}

TEST(ReadDate, ListedFormatsComeFirst) {
  EXPECT_EQ(ReadDate("05/06/1970", {"%m/%d/%Y"}).date, "1970-05-06");
  EXPECT_EQ(ReadDate("05/06/1970", {"%m/%d/%Y"}).alternative, "");
  // A text the formats do not fit is still read as people write it.
  EXPECT_EQ(ReadDate("1970-06-05", {"%m/%d/%Y"}).date, "1970-06-05");
}

TEST(ParseDateWithFormat, ReadsUnpaddedMonthsAndDays) {
  EXPECT_EQ(ParseDateWithFormat("1967-9-27", "%Y-%m-%d").value(), "1967-09-27");
  EXPECT_EQ(ParseDateWithFormat("1959-08-9", "%Y-%m-%d").value(), "1959-08-09");
  EXPECT_EQ(ParseDateWithFormat("7/4/1976", "%d/%m/%Y").value(), "1976-04-07");
  EXPECT_FALSE(ParseDateWithFormat("1959089", "%Y%m%d").ok());  // no separator: the widths are fixed
}

}  // namespace
}  // namespace caselink
