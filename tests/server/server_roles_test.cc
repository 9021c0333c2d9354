// Roles of the HTTP API: who may call what (the matrix of docs/api.md, every
// endpoint by every role and two clearances), four eyes on "linked", and the
// audit log's routes for auditors.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "caselink/audit_json.h"
#include "caselink/pipeline.h"
#include "caselink/review.h"
#include "caselink/server.h"
#include "caselink/synth.h"
#include "served_scenario.h"
#include "test_util.h"

namespace caselink {
namespace {

using caselink::testing::TempDir;
using Json = nlohmann::json;

class ServerRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<testing::ServedScenario> served = testing::ServeScenario(dir_);
    ASSERT_TRUE(served.ok()) << served.status().message();
    summary_ = served->summary;
    store_ = std::move(served->store);
    live_ = std::move(served->live);
    std::vector<ServerUser> users;
    for (const std::string role : {"analyst", "supervisor", "auditor", "admin", "screener"}) {
      // Cleared for everything, and for two markings of the scenario's four.
      for (const std::string clearance : {"ALL", "FIN,LE"}) {
        const std::string name = role + (clearance == "ALL" ? "-all" : "-limited");
        tokens_[name] = NewToken();
        users.push_back({name,
                         kUserRoles.Parse(role).value(),
                         clearance == "ALL" ? Clearance::All() : Clearance::Parse(clearance).value(),
                         {TokenDigest(tokens_[name])}});
      }
    }
    tokens_["supervisor-2"] = NewToken();
    users.push_back({"supervisor-2", UserRole::kSupervisor, Clearance::All(), {TokenDigest(tokens_["supervisor-2"])}});
    // Reads side by side, their audit rows through their own connections
    // (no second connection for audit rows here).
    server_ =
        std::make_unique<Server>(*store_, *live_, users, nullptr, testing::ReaderConnections(dir_.File("store.db")));
    Result<int> port = server_->Bind("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
    // The cases everyone allowed to read may decide on: ranked for every clearance.
    auto ranked = Client().Get("/v1/triage?limit=0", As("analyst-limited"));
    ASSERT_TRUE(ranked && ranked->status == 200);
    const Json rows = Json::parse(ranked->body)["cases"];
    for (const Json& row : rows) cases_.push_back(row["entity_id"]);
    ASSERT_GE(cases_.size(), 4u) << ranked->body;
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  httplib::Headers As(const std::string& user) { return {{"Authorization", "Bearer " + tokens_.at(user)}}; }
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }
  Json Decide(const std::string& user, const std::string& entity, const Json& body, int* status = nullptr) {
    auto r = Client().Post("/v1/cases/" + entity + "/decisions", As(user), body.dump(), "application/json");
    EXPECT_TRUE(r);
    if (!r) return Json();
    if (status) *status = r->status;
    return Json::parse(r->body, nullptr, false);
  }

  TempDir dir_;
  synth::ScenarioSummary summary_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<LiveAnalysis> live_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::map<std::string, std::string> tokens_;
  std::vector<std::string> cases_;
};

// The matrix, written out as docs/api.md gives it (not derived from the
// server's own table): Y the role may, N it is refused with 403.
TEST_F(ServerRolesTest, EveryEndpointAnswersEachRoleAsTheMatrixSaysForEveryClearance) {
  struct Call {
    std::string name, method, path, body;
  };
  const std::string person = cases_[0];
  std::vector<std::string> records;
  Result<std::vector<Membership>> members = store_->EntityMembers(person);
  ASSERT_TRUE(members.ok() && !members->empty());
  for (const Membership& m : *members) records.push_back(m.record_id);
  const std::vector<Call> calls = {
      {"triage", "GET", "/v1/triage?limit=5", ""},
      {"explain", "GET", "/v1/cases/" + person, ""},
      {"alerts", "GET", "/v1/alerts", ""},
      {"decide", "POST", "/v1/cases/" + person + "/decisions", R"({"note":"looked"})"},
      {"assign", "POST", "/v1/cases/" + person + "/decisions", R"({"assign":"analyst-all"})"},
      {"seed", "POST", "/v1/seeds", R"({"phone":"+44 20 7946 0958","reason":"tip"})"},
      {"ingest", "POST", "/v1/ingest?source=tips&reliability=C3",
       testing::PersonLine("tip-1", "Ivo Marek", "1970-01-02")},
      {"audit", "GET", "/v1/audit?limit=3", ""},
      {"audit head", "GET", "/v1/audit/head", ""},
      {"audit proof", "GET", "/v1/audit/proof/1", ""},
      {"audit consistency", "GET", "/v1/audit/consistency?old=1", ""},
      {"screen", "POST", "/v1/screen", R"({"name":"Ivo Marek"})"},
      {"hits", "GET", "/v1/hits", ""},
      {"match", "POST", "/match/default", R"({"queries":{"q":{"schema":"Person","properties":{"name":"Ivo Marek"}}}})"},
      {"search", "GET", "/search/default?q=Ivo", ""},
      {"catalog", "GET", "/catalog", ""},
      {"queue", "GET", "/v1/queue?limit=3", ""},
      {"history", "GET", "/v1/cases/" + person + "/history", ""},
      {"bulk assign", "POST", "/v1/cases/assign", R"({"entities":[")" + person + R"("],"assignee":"analyst-all"})"},
      {"seeds", "GET", "/v1/seeds", ""},
      {"stats", "GET", "/v1/stats", ""},
      {"unseed", "DELETE", "/v1/seeds?kind=phone&value=%2B442079460999&reason=withdrawn", ""},
      {"search", "GET", "/v1/search?q=Ivo", ""},
      {"entity", "GET", "/v1/entities/" + person, ""},
      {"neighbours", "GET", "/v1/entities/" + person + "/neighbours", ""},
      {"timeline", "GET", "/v1/entities/" + person + "/timeline", ""},
      {"pair", "GET", "/v1/pairs?a=" + records[0] + "&b=" + records.back(), ""},
      {"record", "GET", "/v1/records/" + records[0], ""},
      {"case graph", "GET", "/v1/cases/" + person + "/graph", ""},
      {"packet", "GET", "/v1/cases/" + person + "/packet", ""},
      {"export", "POST", "/v1/exports", R"({"what":"clusters"})"},
      {"me", "GET", "/v1/me", ""},
      {"audit verify", "GET", "/v1/audit/verify", ""},
      // (no reason: refused as a bad request after the role is let in, so
      // that no decision makes every later request resolve again)
      {"link", "POST", "/v1/links", Json{{"a", records[0]}, {"b", records.back()}, {"same", true}}.dump()},
  };
  //          triage explain alerts decide assign seed ingest audit x4 screen hits match search catalog
  //          queue history bulk-assign seeds stats unseed search
  //          entity neighbours timeline pair record case-graph packet export me audit-verify link
  const std::map<std::string, std::string> may = {{"analyst",
                                                   "YYYYNNNNNNNYYYYY"
                                                   "YYNYYN"
                                                   "Y"
                                                   "YYYYYYYYYNY"},
                                                  {"supervisor",
                                                   "YYYYYNNNNNNYYYYY"
                                                   "YYYYYN"
                                                   "Y"
                                                   "YYYYYYYYYNY"},
                                                  {"auditor",
                                                   "NNNNNNNYYYYNNNNN"
                                                   "NNNNNN"
                                                   "N"
                                                   "NNNNNNNNYYN"},
                                                  {"admin",
                                                   "YYYYNYYNNNNYYYYY"
                                                   "YYNYYY"
                                                   "Y"
                                                   "YYYYYYYYYNY"},
                                                  {"screener",
                                                   "NNNNNNNNNNNYNYYY"
                                                   "NNNNNN"
                                                   "N"
                                                   "NNNNNNNNYNN"}};
  for (const auto& [role, row] : may) {
    for (const std::string suffix : {"-all", "-limited"}) {
      const std::string user = role + suffix;
      for (size_t k = 0; k < calls.size(); ++k) {
        const Call& call = calls[k];
        httplib::Client c = Client();
        auto r = call.method == "GET"      ? c.Get(call.path, As(user))
                 : call.method == "DELETE" ? c.Delete(call.path, As(user))
                                           : c.Post(call.path, As(user), call.body, "application/json");
        ASSERT_TRUE(r) << user << " " << call.name;
        const bool refused_for_role = r->status == 403 && (r->body.find("role") != std::string::npos ||
                                                           r->body.find("supervisor") != std::string::npos);
        EXPECT_NE(r->status, 401) << user << " " << call.name;
        if (row[k] == 'Y') {
          EXPECT_FALSE(refused_for_role) << user << " may " << call.name << ": " << r->body;
        } else {
          EXPECT_TRUE(refused_for_role) << user << " may not " << call.name << ": " << r->status << " " << r->body;
        }
      }
    }
  }
}

TEST_F(ServerRolesTest, ALinkedDecisionTakesASecondPersonASupervisor) {
  int status = 0;
  // An analyst's "linked" is a proposal; the case goes to review.
  Json out = Decide("analyst-all", cases_[0], {{"status", "linked"}, {"reason", "shared account"}}, &status);
  ASSERT_EQ(status, 200) << out.dump();
  EXPECT_EQ(out["status"], "in_review");
  EXPECT_EQ(out["proposed"], "linked");
  // Asking again does not make it so; a supervisor's confirmation does.
  EXPECT_EQ(Decide("analyst-all", cases_[0], {{"status", "linked"}, {"reason", "again"}})["status"], "in_review");
  out = Decide("supervisor-all", cases_[0], {{"status", "linked"}, {"reason", "confirmed: account records"}});
  EXPECT_EQ(out["status"], "linked") << out.dump();
  EXPECT_FALSE(out.contains("proposed"));

  // A supervisor cannot confirm their own proposal; another supervisor can.
  EXPECT_EQ(Decide("supervisor-all", cases_[1], {{"status", "linked"}, {"reason", "travel"}})["status"], "in_review");
  EXPECT_EQ(Decide("supervisor-all", cases_[1], {{"status", "linked"}, {"reason", "sure"}})["status"], "in_review");
  EXPECT_EQ(Decide("supervisor-2", cases_[1], {{"status", "linked"}, {"reason", "agreed"}})["status"], "linked");

  // A decision between the proposal and the confirmation voids the proposal.
  EXPECT_EQ(Decide("analyst-all", cases_[2], {{"status", "linked"}, {"reason", "calls"}})["status"], "in_review");
  EXPECT_EQ(Decide("analyst-all", cases_[2], {{"status", "dismissed"}, {"reason", "family"}})["status"], "dismissed");
  EXPECT_EQ(Decide("supervisor-all", cases_[2], {{"status", "linked"}, {"reason", "no"}})["status"], "in_review");

  // What the review shows: the proposal and the confirmation, by whom.
  Result<std::vector<DecisionRow>> decisions = store_->ListDecisions(cases_[0]);
  ASSERT_TRUE(decisions.ok());
  ASSERT_EQ(decisions->size(), 3u);
  EXPECT_EQ((*decisions)[0].decision, Decision::kProposeLinked);
  EXPECT_EQ((*decisions)[0].actor, "analyst-all");
  EXPECT_EQ((*decisions)[2].decision, Decision::kLinked);
  EXPECT_EQ((*decisions)[2].actor, "supervisor-all");
}

TEST_F(ServerRolesTest, AnAuditorReadsTheLogAndChecksItsProofsAndNothingElse) {
  ASSERT_TRUE(Client().Get("/v1/triage?limit=2", As("analyst-limited")));
  httplib::Client c = Client();
  auto listed = c.Get("/v1/audit?actor=analyst-limited&action=triage", As("auditor-limited"));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  const Json events = Json::parse(listed->body)["events"];
  ASSERT_FALSE(events.empty());
  for (const Json& e : events) {
    EXPECT_EQ(e["actor"], "analyst-limited");
    EXPECT_EQ(e["action"], "triage");
  }
  auto head = c.Get("/v1/audit/head", As("auditor-limited"));
  ASSERT_TRUE(head && head->status == 200);
  Result<AuditHead> published = ParseAuditHead(Json::parse(head->body)["head"].get<std::string>());
  ASSERT_TRUE(published.ok());
  const int64_t seq = events[0]["seq"];
  auto proof = c.Get("/v1/audit/proof/" + std::to_string(seq) + "?size=" + std::to_string(published->size),
                     As("auditor-limited"));
  ASSERT_TRUE(proof && proof->status == 200) << (proof ? proof->body : "");
  Result<std::string> proven = CheckAuditProof(Json::parse(proof->body), *published);
  EXPECT_TRUE(proven.ok()) << proven.status().message();
  auto later = c.Get("/v1/audit/consistency?old=" + std::to_string(published->size), As("auditor-limited"));
  ASSERT_TRUE(later && later->status == 200);
  EXPECT_TRUE(CheckAuditProof(Json::parse(later->body), *published).ok());
  auto no_such = c.Get("/v1/audit/proof/99999999", As("auditor-limited"));
  ASSERT_TRUE(no_such);
  EXPECT_EQ(no_such->status, 400) << no_such->body;

  auto cases = c.Get("/v1/triage", As("auditor-all"));
  ASSERT_TRUE(cases);
  EXPECT_EQ(cases->status, 403);
  EXPECT_EQ(cases->body.find("person-"), std::string::npos);
  auto log = c.Get("/v1/audit", As("admin-all"));
  ASSERT_TRUE(log);
  EXPECT_EQ(log->status, 403);
}

}  // namespace
}  // namespace caselink
