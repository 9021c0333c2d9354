#include "screen/identity_evidence.h"

#include <algorithm>
#include <cstdlib>

#include "caselink/identifiers.h"
#include "caselink/normalize.h"

namespace caselink::screen {
namespace {

// Effects (docs/screening.md). Agreements close a share of the gap to 1, so
// they confirm a good name match and cannot lift a poor one past the
// threshold (a birth year or a nationality is shared by many people);
// disagreements subtract, so a wrong birth year pulls even an exact name
// below it when the name is common enough to score near the line, and one
// far from every listed year all but rules the listed person out.
constexpr double kBirthDateAgrees = 0.5;      // the same full date
constexpr double kBirthYearAgrees = 0.2;      // the same year, one side less precise
constexpr double kBirthDateClose = 0.1;       // a usual slip: day and month swapped, one digit off
constexpr double kBirthDateDisagrees = 0.15;  // years two to four apart (lists guess ages)
constexpr double kBirthDateFarApart = 0.3;    // five years or more
constexpr int kFarApartYears = 5;
constexpr double kNationalityAgrees = 0.1;
constexpr double kCountryAgrees = 0.05;         // an address or birth country only
constexpr double kNationalityDisagrees = 0.04;  // weak: dual nationals, changed citizenship
constexpr double kGenderAgrees = 0.03;
constexpr double kGenderDisagrees = 0.2;
constexpr double kDocumentAgrees = 0.7;

// The agreements whose names speak of the year (the year agrees, or is one
// apart with the same day and month): with a listed date of the same year
// (nearest_years), the year agrees.
bool MentionsTheYear(DateAgreement how) {
  switch (how) {
    case DateAgreement::kSameYearAndMonth:
    case DateAgreement::kYearOneApart:
    case DateAgreement::kSameYear:
    case DateAgreement::kSameYearAndMonthOtherDay:
    case DateAgreement::kSameYearOtherMonth: return true;
    default: return false;
  }
}

int YearOf(const std::string& date) { return date.size() >= 4 ? std::atoi(date.substr(0, 4).c_str()) : 0; }

void BirthDate(const std::string& query, const WatchlistEntry& listed, double& score,
               std::vector<AttributeEvidence>& out) {
  if (query.empty() || listed.birth_dates.empty()) return;
  double best = -1;
  std::string best_listed;
  DateAgreement best_how = DateAgreement::kUnknown;
  int nearest_years = 1 << 30;
  for (const std::string& d : listed.birth_dates) {
    DateComparison c = CompareDates(query, d);
    if (c.score > best) best = c.score, best_listed = d, best_how = c.how;
    nearest_years = std::min(nearest_years, std::abs(YearOf(query) - YearOf(d)));
  }
  AttributeEvidence e{"birth date", query, best_listed, "", 0};
  if (best >= 1 && query.size() == 10 && best_listed.size() == 10) {
    e.outcome = "agrees";
    e.effect = (1 - score) * kBirthDateAgrees;
  } else if (best >= 1 || (best > 0 && MentionsTheYear(best_how) && nearest_years == 0)) {
    e.outcome = "year agrees";
    e.effect = (1 - score) * kBirthYearAgrees;
  } else if (best > 0) {
    e.outcome = "close";
    e.effect = (1 - score) * kBirthDateClose;
  } else if (nearest_years <= 1) {
    e.outcome = "close";  // a year apart: a common slip, and lists often say "circa"
  } else {
    // Name the nearest listed year, not the first date the list gives.
    for (const std::string& d : listed.birth_dates) {
      if (std::abs(YearOf(query) - YearOf(d)) == nearest_years) {
        e.listed = d;
        break;
      }
    }
    e.outcome = "disagrees";
    e.effect = nearest_years >= kFarApartYears ? -kBirthDateFarApart : -kBirthDateDisagrees;
  }
  score += e.effect;
  out.push_back(std::move(e));
}

void Countries(const std::vector<std::string>& query, const WatchlistEntry& listed, double& score,
               std::vector<AttributeEvidence>& out) {
  if (query.empty() || (listed.nationalities.empty() && listed.countries.empty())) return;
  // A nationality agreeing first; failing that, an address or birth country.
  const struct {
    const char* attribute;
    const std::vector<std::string>& values;
    double share;
  } kinds[] = {{"nationality", listed.nationalities, kNationalityAgrees},
               {"country", listed.countries, kCountryAgrees}};
  for (const auto& kind : kinds) {
    for (const std::string& q : query) {
      if (std::find(kind.values.begin(), kind.values.end(), q) == kind.values.end()) continue;
      AttributeEvidence e{kind.attribute, q, q, "agrees", (1 - score) * kind.share};
      score += e.effect;
      out.push_back(std::move(e));
      return;
    }
  }
  if (listed.nationalities.empty()) return;  // only addresses: people move, no evidence against
  std::string listed_all;
  for (const std::string& n : listed.nationalities) listed_all += (listed_all.empty() ? "" : ",") + n;
  std::string query_all;
  for (const std::string& q : query) query_all += (query_all.empty() ? "" : ",") + q;
  AttributeEvidence e{"nationality", query_all, listed_all, "disagrees", -kNationalityDisagrees};
  score += e.effect;
  out.push_back(std::move(e));
}

void Gender(const std::string& query, const WatchlistEntry& listed, double& score,
            std::vector<AttributeEvidence>& out) {
  if (query.empty() || listed.gender.empty()) return;
  AttributeEvidence e{"gender", query, listed.gender, "", 0};
  if (query == listed.gender) {
    e.outcome = "agrees";
    e.effect = (1 - score) * kGenderAgrees;
  } else {
    e.outcome = "disagrees";
    e.effect = -kGenderDisagrees;
  }
  score += e.effect;
  out.push_back(std::move(e));
}

void Documents(const std::vector<std::string>& query, const WatchlistEntry& listed, double& score,
               std::vector<AttributeEvidence>& out) {
  // No evidence against: people hold several documents and lists know few.
  for (const std::string& q : query) {
    for (const ListedDocument& d : listed.documents) {
      if (NormalizeIdentifier(d.number) != q) continue;
      AttributeEvidence e{"document", q, d.type.empty() ? d.number : d.type + " " + d.number, "agrees",
                          (1 - score) * kDocumentAgrees};
      score += e.effect;
      out.push_back(std::move(e));
      return;
    }
  }
}

}  // namespace

QueryAttributes NormalizeQueryAttributes(const ScreenQuery& query) {
  QueryAttributes a;
  if (!query.birth_date.empty()) {
    if (auto d = NormalizeDate(query.birth_date); d.ok()) a.birth_date = *d;
  }
  for (const std::string& c : query.countries) {
    if (c.empty()) continue;
    std::string code = CountryCode(c);
    a.countries.push_back(code.empty() ? FoldToAscii(c) : code);
  }
  a.gender = NormalizeGender(query.gender);
  for (const std::string& d : query.documents) {
    std::string n = NormalizeIdentifier(d);
    if (!n.empty()) a.documents.push_back(std::move(n));
  }
  return a;
}

double ApplyIdentityEvidence(const QueryAttributes& query, const WatchlistEntry& listed, double name_score,
                             std::vector<AttributeEvidence>& out) {
  double score = name_score;
  BirthDate(query.birth_date, listed, score, out);
  Countries(query.countries, listed, score, out);
  Gender(query.gender, listed, score, out);
  Documents(query.documents, listed, score, out);
  return std::clamp(score, 0.0, 1.0);
}

}  // namespace caselink::screen
