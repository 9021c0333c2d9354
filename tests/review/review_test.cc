#include "caselink/review.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include "caselink/ingest.h"
#include "caselink/pipeline.h"
#include "test_util.h"

namespace caselink {
namespace {

using testing::LoadStory;
using testing::RowWithRecord;
using testing::TempDir;

int64_t AuditCount(const std::string& db_path, const std::string& action) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM audit_log WHERE action = ?", -1, &q, nullptr);
  sqlite3_bind_text(q, 1, action.c_str(), -1, SQLITE_TRANSIENT);
  int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}

// Aziz (f-a) pays the network account a second time: new evidence.
void IngestSecondPayment(Store& store, const TempDir& dir) {
  std::string path =
      dir.Write("more-finance.jsonl", R"({"id": "f-pay-a2", "schema": "Payment", "properties": {"payer": ["f-a"], )"
                                      R"("beneficiaryAccount": ["f-acct"], "amount": ["900"], "date": ["2023-04-02"]}})"
                                      "\n");
  IngestOptions opts;
  opts.source = "finance";
  opts.markings = {"FIN"};
  opts.reliability = Reliability::Parse("B2").value();
  opts.rejects_path = dir.File("more-finance.rejects.jsonl");
  ASSERT_EQ(IngestFile(store, path, opts).value().accepted, 1);
}

TEST(Review, ADismissalHidesTheSameEvidenceAndNewEvidenceBringsTheCaseBack) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  TriageResult before = Triage(*store, Clearance::All(), {}).value();
  const TriageRow* aziz = RowWithRecord(before, "e-a");
  ASSERT_NE(aziz, nullptr);
  const std::string id = aziz->entity_id;
  ASSERT_TRUE(Alerts(*store, Clearance::All(), before, {}).value().baseline);

  DecideRequest dismiss{id, "dismissed", "paid a relative's fee, documented", "", "", "analyst1"};
  CaseRow c = Decide(*store, dismiss, aziz).value();
  EXPECT_EQ(c.status, CaseStatus::kDismissed);
  std::vector<DecisionRow> decisions = store->ListDecisions(c.id).value();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].evidence, EvidenceRecords(*aziz));
  EXPECT_EQ(decisions[0].actor, "analyst1");

  TriageResult hidden = Triage(*store, Clearance::All(), {}).value();
  EXPECT_EQ(RowWithRecord(hidden, "e-a"), nullptr);
  EXPECT_EQ(hidden.rows.size(), before.rows.size() - 1);
  for (size_t i = 0; i < hidden.rows.size(); ++i) EXPECT_EQ(hidden.rows[i].rank, static_cast<int>(i + 1));

  IngestSecondPayment(*store, dir);
  TriageResult back = Triage(*store, Clearance::All(), {}).value();
  const TriageRow* again = RowWithRecord(back, "e-a");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->status, CaseStatus::kDismissed);
  std::vector<std::string> cited = EvidenceRecords(*again);
  EXPECT_NE(std::find(cited.begin(), cited.end(), "f-pay-a2"), cited.end());

  AlertReport report = Alerts(*store, Clearance::All(), back, {}).value();
  EXPECT_FALSE(report.baseline);
  auto alert =
      std::find_if(report.alerts.begin(), report.alerts.end(), [&](const Alert& a) { return a.entity_id == id; });
  ASSERT_NE(alert, report.alerts.end());
  EXPECT_EQ(alert->why, "new evidence");
  EXPECT_NE(std::find(alert->new_records.begin(), alert->new_records.end(), "f-pay-a2"), alert->new_records.end());
}

// Need-to-know for review (issue 20's probe: a PUBLIC analyst saw, and
// could change, the status a cleared analyst set on evidence they may not
// see). A decision carries the markings of the records it rested on.
TEST(Review, AStatusSetOnEvidenceAReaderMayNotSeeIsNeitherShownToThemNorUndoneByThem) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  // A public seed (Aziz's border record), so that a PUBLIC reader ranks
  // Malika too, on public records alone.
  ASSERT_TRUE(store->AddSeed({0, SeedKind::kRecord, "e-a", "named in an open report", {}, ""}).ok());
  TriageOptions shown_all;
  shown_all.hide_dismissed = false;
  // An analyst cleared for everything links Malika on all the evidence.
  const TriageResult cleared_view = Triage(*store, Clearance::All(), shown_all).value();
  const TriageRow* malika = RowWithRecord(cleared_view, "e-c");
  ASSERT_NE(malika, nullptr);
  const std::string id = malika->entity_id;
  ASSERT_TRUE(Decide(*store, {id, "linked", "paid and called the network", "", "", "cleared-analyst"}, malika).ok());
  const std::vector<DecisionRow> taken = store->ListDecisions(id).value();
  ASSERT_EQ(taken.size(), 1u);
  ASSERT_FALSE(taken[0].markings.empty()) << "the premise: restricted evidence behind the decision";

  // A PUBLIC analyst is not shown it: for them there is no case.
  const Clearance pub = Clearance::Parse("PUBLIC").value();
  const TriageResult public_view = Triage(*store, pub, shown_all).value();
  const TriageRow* seen = RowWithRecord(public_view, "e-c");
  ASSERT_NE(seen, nullptr);
  EXPECT_FALSE(seen->status.has_value()) << "a PUBLIC reader is shown a status set on restricted evidence";

  // Their own dismissal stands for them, and does not undo, for readers who
  // see the restricted evidence, the decision taken on it.
  DecideRequest dismiss{id, "dismissed", "the shared phone is a shelter's", "", "", "public-analyst"};
  dismiss.clearance = pub;
  ASSERT_TRUE(Decide(*store, dismiss, seen).ok());
  EXPECT_EQ(store->ListDecisions(id).value().back().markings, std::vector<std::string>{});
  EXPECT_EQ(RowWithRecord(Triage(*store, pub, shown_all).value(), "e-c")->status, CaseStatus::kDismissed);
  EXPECT_EQ(RowWithRecord(Triage(*store, Clearance::All(), shown_all).value(), "e-c")->status, CaseStatus::kLinked);
}

TEST(Review, StatusAssignmentAndNotesAreKeptAndAudited) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  TriageResult t = Triage(*store, Clearance::All(), {}).value();
  const TriageRow* row = RowWithRecord(t, "e-b");
  ASSERT_NE(row, nullptr);
  ASSERT_TRUE(Decide(*store, {row->entity_id, "in_review", "paid the network account", "bob", "", "cli"}, row).ok());
  ASSERT_TRUE(Decide(*store, {row->entity_id, "", "", "", "called the carrier for records", "bob"}, row).ok());
  CaseRow c = store->GetCase(row->entity_id).value().value();
  EXPECT_EQ(c.status, CaseStatus::kInReview);
  EXPECT_EQ(c.assignee, "bob");
  EXPECT_DOUBLE_EQ(c.score, row->score);
  ASSERT_EQ(store->ListNotes(c.id).value().size(), 1u);
  EXPECT_EQ(store->ListNotes(c.id).value()[0].note, "called the carrier for records");
  TriageResult after = Triage(*store, Clearance::All(), {}).value();
  ASSERT_NE(RowWithRecord(after, "e-b"), nullptr);
  EXPECT_EQ(RowWithRecord(after, "e-b")->status, CaseStatus::kInReview);
  EXPECT_EQ(RowWithRecord(after, "e-b")->assignee, "bob");
  store.reset();
  EXPECT_EQ(AuditCount(dir.File("s.db"), "decide"), 2);
}

TEST(Review, DecisionsNeedAKnownStatusAReasonAndAPerson) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  Analysis a = Analyze(*store, Clearance::All()).value();
  ASSERT_TRUE(PersistResolution(*store, a).ok());
  TriageResult t = Triage(*store, Clearance::All(), {}).value();
  const std::string id = t.rows.at(0).entity_id;
  EXPECT_EQ(Decide(*store, {id, "closed", "x", "", "", "cli"}, nullptr).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Decide(*store, {id, "linked", "", "", "", "cli"}, nullptr).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Decide(*store, {id, "", "", "", "", "cli"}, nullptr).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Decide(*store, {"person-nope", "linked", "x", "", "", "cli"}, nullptr).status().code(),
            StatusCode::kNotFound);
  // An account is not a case.
  int rec = a.corpus.Find("f-acct");
  ASSERT_GE(rec, 0);
  const std::string account =
      a.resolution.entities[static_cast<size_t>(a.resolution.entity_of[static_cast<size_t>(rec)])].id;
  EXPECT_EQ(Decide(*store, {account, "linked", "x", "", "", "cli"}, nullptr).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(store->ListCases().value().empty());
  EXPECT_TRUE(Decide(*store, {id, "linked", "named in IR-9", "", "", "cli"}, nullptr).ok());
}

TEST(Review, AlertsListNewlyLinkedPeopleAfterANewSeed) {
  TempDir dir;
  auto store = LoadStory(dir, "s");
  const Clearance fin = Clearance::Parse("FIN,LE").value();
  TriageResult first = Triage(*store, fin, {}).value();
  ASSERT_TRUE(Alerts(*store, fin, first, {}).value().baseline);
  EXPECT_TRUE(Alerts(*store, fin, first, {}).value().alerts.empty());  // nothing changed
  // A new lead: one of the unrelated people (e-x) is seeded.
  ASSERT_TRUE(store->AddSeed({0, SeedKind::kRecord, "e-x", "IR-10: a new lead", {}, ""}).ok());
  TriageResult second = Triage(*store, fin, {}).value();
  const TriageRow* lead = RowWithRecord(second, "e-x");
  ASSERT_NE(lead, nullptr);
  AlertReport report = Alerts(*store, fin, second, {}).value();
  ASSERT_FALSE(report.alerts.empty());
  for (const Alert& a : report.alerts) {
    EXPECT_TRUE(a.why == "newly linked" || a.why == "rose") << a.why;
    if (a.why == "newly linked") {
      EXPECT_EQ(a.previous_rank, 0);
    }
  }
  EXPECT_NE(std::find_if(report.alerts.begin(), report.alerts.end(),
                         [&](const Alert& a) { return a.entity_id == lead->entity_id; }),
            report.alerts.end());
  // Each clearance has its own baseline.
  EXPECT_TRUE(Alerts(*store, Clearance::All(), second, {}).value().baseline);
}

}  // namespace
}  // namespace caselink
