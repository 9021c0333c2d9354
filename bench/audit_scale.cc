// Times the audit log's Merkle tree at scale (issue 20's targets: one
// event's proof <= 4 KB among 10M events; `audit verify` of 10M <= 60 s):
//   audit_scale STORE EVENTS
// Appends EVENTS events shaped like the server's (an HTTP request's actor,
// route, status and time), 10,000 to a transaction, to the store's log; then
// times single appends in their own transaction (as a request makes them),
// the tree head, an inclusion and a consistency proof, and verify.
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "caselink/store.h"

using namespace caselink;

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int Die(const Status& st) {
  std::fprintf(stderr, "audit_scale: %s\n", st.message().c_str());
  return 1;
}

std::string Detail(int64_t i) {
  return R"({"method":"GET","path":"/v1/cases/person-)" +
         std::to_string(0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(i)) + R"(","status":200,"ms":)" +
         std::to_string(i % 997) + R"(,"from":"10.1.2.3","shown":["person-)" + std::to_string(i * 31) + R"("]})";
}

size_t ProofBytes(const std::vector<merkle::Hash>& proof) { return proof.size() * (64 + 3); }  // as JSON: "hex",

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: audit_scale STORE EVENTS\n");
    return 2;
  }
  const int64_t events = std::stoll(argv[2]);
  Result<std::unique_ptr<Store>> opened = OpenSqliteStore(argv[1]);
  if (!opened.ok()) return Die(opened.status());
  Store& store = **opened;
  Result<AuditHead> start = store.AuditTreeHead();
  if (!start.ok()) return Die(start.status());
  auto t = std::chrono::steady_clock::now();
  for (int64_t i = start->size; i < events; i += 10000) {
    if (Status st = store.Begin(); !st.ok()) return Die(st);
    for (int64_t k = i; k < std::min(events, i + 10000); ++k) {
      if (Status st = store.Audit(k % 7 ? "analyst-" + std::to_string(k % 40) : "cli", "http", Detail(k)); !st.ok()) {
        return Die(st);
      }
    }
    if (Status st = store.Commit(); !st.ok()) return Die(st);
  }
  const double batch = Since(t);
  if (events > start->size) {
    std::printf("appended %lld events in %.1f s (%.1f us each, 10,000 to a transaction)\n",
                static_cast<long long>(events - start->size), batch,
                1e6 * batch / static_cast<double>(events - start->size));
  }
  t = std::chrono::steady_clock::now();
  const int singles = 200;
  for (int k = 0; k < singles; ++k) {
    if (Status st = store.Audit("analyst-1", "http", Detail(events + k)); !st.ok()) return Die(st);
  }
  std::printf("append in its own transaction: %.0f us each (mean of %d)\n", 1e6 * Since(t) / singles, singles);

  t = std::chrono::steady_clock::now();
  Result<AuditHead> head = store.AuditTreeHead();
  if (!head.ok()) return Die(head.status());
  std::printf("tree head %s in %.2f ms\n", FormatAuditHead(*head).c_str(), 1e3 * Since(t));
  std::mt19937_64 random(7);
  double worst_ms = 0;
  size_t worst_bytes = 0;
  for (int k = 0; k < 100; ++k) {
    const int64_t seq = std::uniform_int_distribution<int64_t>(1, head->size)(random);
    t = std::chrono::steady_clock::now();
    Result<std::vector<merkle::Hash>> proof = store.AuditInclusionProof(seq, head->size);
    if (!proof.ok()) return Die(proof.status());
    worst_ms = std::max(worst_ms, 1e3 * Since(t));
    worst_bytes = std::max(worst_bytes, ProofBytes(*proof));
  }
  std::printf("inclusion proofs of 100 random events: at most %zu bytes of hashes (hex JSON), at most %.2f ms\n",
              worst_bytes, worst_ms);
  t = std::chrono::steady_clock::now();
  Result<std::vector<merkle::Hash>> consistency = store.AuditConsistencyProof(head->size / 3, head->size);
  if (!consistency.ok()) return Die(consistency.status());
  std::printf("consistency proof %lld -> %lld: %zu bytes, %.2f ms\n", static_cast<long long>(head->size / 3),
              static_cast<long long>(head->size), ProofBytes(*consistency), 1e3 * Since(t));
  t = std::chrono::steady_clock::now();
  Result<AuditCheck> check = store.VerifyAudit({*head});
  if (!check.ok()) return Die(check.status());
  std::printf("verify of %lld events against the head: %s in %.1f s\n", static_cast<long long>(check->events),
              check->ok ? "intact" : check->fault.c_str(), Since(t));
  return check->ok ? 0 : 1;
}
