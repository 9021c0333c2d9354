#include "caselink/audit_seal.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace caselink {
namespace {

// An audit log that keeps events in memory: what AuditWithSecret writes.
class MemoryLog : public AuditLog {
 public:
  std::optional<AuditPublicKey> key;
  std::vector<std::string> details;
  Status Audit(const std::string&, const std::string&, const std::string& detail) override {
    details.push_back(detail);
    return Status::Ok();
  }
  Result<AuditHead> AuditTreeHead(int64_t) override { return Status::Internal("not kept"); }
  Result<std::vector<merkle::Hash>> AuditInclusionProof(int64_t, int64_t) override {
    return Status::Internal("not kept");
  }
  Result<std::vector<merkle::Hash>> AuditConsistencyProof(int64_t, int64_t) override {
    return Status::Internal("not kept");
  }
  Status ScanAudit(const AuditFilter&, const std::function<bool(const AuditEvent&)>&) override { return Status::Ok(); }
  Status AddAuditKey(const AuditPublicKey& k) override {
    key = k;
    return Status::Ok();
  }
  Result<std::optional<AuditPublicKey>> AuditKey() override { return key; }
  Result<AuditCheck> VerifyAudit(const std::vector<AuditHead>&) override { return AuditCheck{}; }
};

TEST(AuditSealTest, SealedDetailOpensWithTheKeyAndKeepsWhatIsNotSecret) {
  MemoryLog log;
  const AuditKeyPair key = NewAuditKeyPair();
  ASSERT_TRUE(log.AddAuditKey(key.public_key).ok());
  ASSERT_TRUE(AuditWithSecret(log, "ana", "seed", {{"seed", 7}}, {{"reason", "source ZULU-9"}}).ok());
  ASSERT_EQ(log.details.size(), 1u);
  EXPECT_EQ(log.details[0].find("ZULU"), std::string::npos) << log.details[0];
  const nlohmann::json stored = nlohmann::json::parse(log.details[0]);
  EXPECT_EQ(stored["seed"], 7);
  EXPECT_EQ(stored["sealed"]["key"], AuditKeyId(key.public_key));

  Result<std::string> opened = OpenAuditDetail(log.details[0], key);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  const nlohmann::json d = nlohmann::json::parse(opened.value());
  EXPECT_EQ(d["secret"]["reason"], "source ZULU-9");
  EXPECT_EQ(d["seed"], 7);
  EXPECT_FALSE(d.contains("sealed"));
}

TEST(AuditSealTest, TwoSealsOfTheSameSecretDiffer) {
  // An ephemeral key per box: equal secrets cannot be told apart by their boxes.
  MemoryLog log;
  ASSERT_TRUE(log.AddAuditKey(NewAuditKeyPair().public_key).ok());
  ASSERT_TRUE(AuditWithSecret(log, "a", "seed", nlohmann::json::object(), {{"reason", "same"}}).ok());
  ASSERT_TRUE(AuditWithSecret(log, "a", "seed", nlohmann::json::object(), {{"reason", "same"}}).ok());
  EXPECT_NE(log.details[0], log.details[1]);
}

TEST(AuditSealTest, AnotherKeyCannotOpenAndAChangedBoxIsFound) {
  MemoryLog log;
  const AuditKeyPair key = NewAuditKeyPair();
  ASSERT_TRUE(log.AddAuditKey(key.public_key).ok());
  ASSERT_TRUE(AuditWithSecret(log, "a", "decide", nlohmann::json::object(), {{"reason", "because"}}).ok());
  Result<std::string> other = OpenAuditDetail(log.details[0], NewAuditKeyPair());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(other.status().message().find("sealed to auditors' key"), std::string::npos) << other.status().message();

  nlohmann::json changed = nlohmann::json::parse(log.details[0]);
  std::string box = changed["sealed"]["box"];
  box[box.size() / 2] = box[box.size() / 2] == 'A' ? 'B' : 'A';
  changed["sealed"]["box"] = box;
  Result<std::string> opened = OpenAuditDetail(changed.dump(), key);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kDataError);
}

TEST(AuditSealTest, WithoutAKeyTheSecretIsKeptInPlainText) {
  MemoryLog log;
  ASSERT_TRUE(AuditWithSecret(log, "a", "screen.name", {{"hits", 2}}, {{"name", "Ivan Petrov"}}).ok());
  const nlohmann::json d = nlohmann::json::parse(log.details[0]);
  EXPECT_EQ(d["secret"]["name"], "Ivan Petrov");
  Result<std::string> opened = OpenAuditDetail(log.details[0], NewAuditKeyPair());
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.value(), log.details[0]);
}

TEST(AuditSealTest, ASecretKeyFileReadsBackToTheSamePairAndAnythingElseIsRefused) {
  testing::TempDir dir;
  const AuditKeyPair key = NewAuditKeyPair();
  const std::string path = dir.Write("auditors.key", FormatAuditSecretKey(key));
  Result<AuditKeyPair> back = ReadAuditSecretKey(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->public_key, key.public_key);
  EXPECT_EQ(back->secret_key, key.secret_key);

  Result<AuditKeyPair> bad = ReadAuditSecretKey(dir.Write("bad.key", "caselink-audit-secret-key 12ab\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad.key"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(ReadAuditSecretKey(dir.File("missing.key")).ok());
}

}  // namespace
}  // namespace caselink
