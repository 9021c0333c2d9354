// A case packet is a document an officer files: every part of the case in
// it, every value escaped, nothing that runs.
#include "caselink/case_packet.h"

#include <gtest/gtest.h>

namespace caselink {
namespace {

using Json = nlohmann::ordered_json;

Json Packet(const std::string& name) {
  return {{"case",
           {{"entity_id", "person-1"},
            {"name", name},
            {"rank", 3},
            {"score", 0.5},
            {"path", 0.4},
            {"lines", 0.45},
            {"walk", 1.2},
            {"status", "in_review"},
            {"assignee", "sam"},
            {"evidence", Json::array({{{"text", "paid the network account"}, {"record_ids", {"f-pay-a"}}}})}}},
          {"entity",
           {{"records", Json::array({{{"record_id", "e-a"},
                                      {"schema", "Person"},
                                      {"source", "encounters"},
                                      {"reliability", "B2"},
                                      {"markings", Json::array()},
                                      {"values", Json::array({{{"property", "name"}, {"value", name}}})},
                                      {"evidence", "first record of the entity"}}})}}},
          {"timeline",
           {{"events", Json::array({{{"date", "2023-01-10"},
                                     {"schema", "Payment"},
                                     {"links", {"paid"}},
                                     {"with", Json::array()},
                                     {"via", nullptr},
                                     {"record_id", "f-pay-a"},
                                     {"source", "finance"},
                                     {"reliability", "B2"}}})},
            {"more", 0}}},
          {"history",
           Json::array(
               {{{"at", "2026-12-07T06:00:00Z"}, {"actor", "sam"}, {"decision", "in_review"}, {"reason", "calls"}}})},
          {"hits", Json::array()},
          {"produced_by", "sam"},
          {"clearance", "ALL"},
          {"produced_at", "2026-12-07T06:01:00Z"}};
}

TEST(CasePacket, HoldsTheEvidenceRecordsTimelineHistoryAndWhoProducedIt) {
  const std::string html = CasePacketHtml(Packet("Aziz Umarov"));
  for (const char* part : {"Case packet: Aziz Umarov", "paid the network account", "f-pay-a", "e-a", "encounters",
                           "2023-01-10", "in_review", "Produced by sam", "under clearance ALL", "not a finding"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
}

TEST(CasePacket, EscapesEveryValueSoNothingInItRuns) {
  const std::string html = CasePacketHtml(Packet("<script>alert('x')</script> & \"co\""));
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"), std::string::npos);
}

}  // namespace
}  // namespace caselink
