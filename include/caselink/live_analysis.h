// The analysis a long-running process holds (caselink serve): the store's
// resolution, its link graph and the operator's ranking kept in memory and
// brought up to date as records and seeds arrive, where each command reads
// them from the store again.
//
// New records are resolved incrementally in the store and patched into the
// graph (PatchGraph): only their links are read. The ranking is redone only
// when a change touches what the last scoring reached (a path within the
// score floor, or walk mass): links between people no seed reaches cannot
// change anyone's score. A new seed pushes only its own walk.
//
// The full-clearance ranking is the one kept; a reader with a narrower
// clearance is ranked on what they may see, from the store, as by the
// command line (unless their markings cover every source and seed, when they see what
// the operator sees), and that ranking is held for their clearance until
// what a ranking reads changes (Store::RankingInputsVersion): the next
// request of the same clearance is answered from it, its review state and
// limit applied afresh. Ranked again, the view resolves what it may see
// under the person model fitted when it was first ranked, as the operator's
// analysis resolves new records under the store's (the command line fits
// one at every run), until a full resolve fits the store's model again.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "caselink/clearance.h"
#include "caselink/enum_names.h"
#include "caselink/graph.h"
#include "caselink/incremental.h"
#include "caselink/link_scoring.h"
#include "caselink/pipeline.h"
#include "caselink/status.h"
#include "caselink/store.h"
#include "caselink/triage.h"

namespace caselink {

// How a live analysis took new records in: not at all (nothing new), patched
// (the graph patched in place), or reloaded (read again from the store: the
// new records merged stored entities, or records changed in place needed a
// full resolve).
enum class UpdateHow { kNone, kPatched, kReloaded };
inline constexpr EnumNames<UpdateHow, 3> kUpdateHows{
    {{{UpdateHow::kNone, "none"}, {UpdateHow::kPatched, "patched"}, {UpdateHow::kReloaded, "reloaded"}}}};
inline std::string_view ToString(UpdateHow how) { return kUpdateHows.Name(how); }

struct LiveUpdate {
  UpdateHow how = UpdateHow::kNone;
  IncrementalStats resolved;
  GraphPatch patch;
  int64_t touched_reached = 0;  // of the patch's touched nodes, those the last scoring reached
  bool rescored = false;        // whether the ranking was computed again
};

class LiveAnalysis {
 public:
  // Loads the store's resolution: resolves incrementally (or in full, when
  // records changed or decisions were added since) what it does not cover.
  static Result<std::unique_ptr<LiveAnalysis>> Open(Store& store);

  // As pipeline's Triage(store, clearance, options), audited as options.actor.
  // What another process changed since is taken in first (CatchUp).
  Result<TriageResult> Triage(const Clearance& clearance, const TriageOptions& options);

  // After records were stored (by this process or another): resolves the
  // new ones, patches the graph and ranks again if they touched it.
  Result<LiveUpdate> Refresh(const std::string& actor = "cli");

  // The ranking `clearance` reads, every row at the default floor, before
  // review (no status, no assignee), shared rather than copied: for a caller
  // that filters or counts a whole ranking (the review queue, stats; with
  // ReviewRows, review.h). What another process changed is taken in first.
  // Where each ranked person's row is (entity id -> index in rows).
  using RowIndex = std::unordered_map<std::string, size_t>;
  struct Ranking {
    std::shared_ptr<const std::vector<TriageRow>> rows;
    std::shared_ptr<const RowIndex> index;  // of rows
    int seeds_total = 0, seeds_found = 0;
  };
  Result<Ranking> Ranked(const Clearance& clearance);

  // Reads beside each other (caselink serve's concurrent requests). Many
  // threads may call the const methods below at once, each with a
  // connection of its own to the store (`reader`), while no thread calls a
  // non-const one: the caller's lock (shared for these, exclusive for the
  // rest) makes it so. Prepare, under the exclusive lock, brings the held
  // analysis and `clearance`'s view up to what the store holds; Ready says
  // whether that is needed.
  Status Prepare(const Clearance& clearance);
  // Whether the held analysis answers for what the store holds now, and
  // `clearance`'s view with it (false: Prepare first).
  Result<bool> Ready(Store& reader, const Clearance& clearance) const;
  // Ranked and Triage on what is held, for a Ready clearance: the store read
  // (review state) and written (the audit) through `reader`. Options that
  // rank anew (HeldRankingServes false) are refused: Triage ranks them.
  Result<Ranking> RankedHeld(Store& reader, const Clearance& clearance) const;
  Result<TriageResult> TriageHeld(Store& reader, const Clearance& clearance, const TriageOptions& options) const;
  // The analysis `clearance` reads, for a Ready clearance: the held one when
  // it sees everything, else its view's (resolved on what it may see, so
  // that nothing it may not see is in it). Valid until the next non-const
  // call.
  Result<const Analysis*> AnalysisHeld(Store& reader, const Clearance& clearance) const;
  // Prepare, then AnalysisHeld.
  Result<const Analysis*> AnalysisFor(const Clearance& clearance);
  // Stores the seed (audited as `actor`) and ranks again with only its walk
  // pushed. Returns the seed's id.
  Result<int64_t> AddSeed(const Seed& seed, const std::string& actor);

  const Analysis& analysis() const { return analysis_; }
  int64_t rankings() const { return rankings_; }            // full rankings computed (for tests and traces)
  int64_t view_rankings() const { return view_rankings_; }  // narrower views ranked (not answered from views_)

 private:
  explicit LiveAnalysis(Store& store) : store_(store) {}
  Status Load(Analysis analysis);
  Status SyncSeeds();
  void Rank();  // from every seed, on a fresh scorer
  void Explain(const std::vector<ScoredPerson>& scored);
  // Whether `clearance` allows every source and every seed: then it sees
  // what the operator sees.
  bool SeesEverything(const Clearance& clearance, const std::vector<Source>& sources) const;
  // Whether the held ranking's defaults would rank as `options` asks (no
  // hub weighting or constants of a comparison run).
  static bool HeldRankingServes(const TriageOptions& options);
  Status Reload();
  // Brings the held analysis up to what the store holds when another
  // process changed what a ranking reads (Store::RankingInputsVersion
  // differs from version_): records stored but not resolved are resolved and
  // patched in (Refresh); a resolution or purge done elsewhere is read again
  // (Reload); seeds alone are taken in (SyncSeeds).
  Status CatchUp();
  Status NoteVersion();                                       // version_ = the store's RankingInputsVersion now
  Result<LiveUpdate> RefreshStore(const std::string& actor);  // Refresh, without noting the version
  // A narrower view's ranking, from views_ while the store's ranking inputs
  // are as they were, ranked again otherwise.
  struct HeldView;
  Result<const HeldView*> View(const Clearance& clearance);

  Store& store_;
  Analysis analysis_;
  std::unordered_map<std::string, int> entity_index_;  // entity id -> resolution entity
  std::deque<Seed> seeds_;                             // the store's seeds, in order (SeedNode points into it)
  std::vector<SeedNode> seed_nodes_;                   // where they are in the graph now
  int seeds_visible_ = 0;
  std::unique_ptr<LinkScorer> scorer_;  // the scorer of rows_, or none since a patch
  // Every ranked person, explained; replaced whole (never changed in place)
  // so that a Ranking handed out stays as it was.
  std::shared_ptr<const std::vector<TriageRow>> rows_ = std::make_shared<const std::vector<TriageRow>>();
  std::shared_ptr<const RowIndex> rows_index_ = std::make_shared<const RowIndex>();  // of rows_
  std::vector<uint8_t> reached_;  // per node: whether the last scoring reached it
  int64_t rankings_ = 0;
  // Narrower views' rankings (every row, before review), by clearance, with
  // the store's RankingInputsVersion they were made at.
  struct HeldView {
    std::string version;
    std::shared_ptr<const Analysis> analysis;  // what rows refer to (entities, graph)
    // The person model the view resolves under: fitted on what the clearance
    // may see when the view was first ranked, and kept, as the operator's
    // analysis keeps the store's, until a full resolve fits the store's again
    // (`store_model`, a hash of the store's model then). New records are
    // resolved under it, not fitted again: a burst of uploads does not move
    // what one user's view weighs evidence by. None: fitted at each ranking
    // (too few people to keep one, or several populations, each fitted on
    // its own).
    std::shared_ptr<const MatchModel> model;
    size_t store_model = 0;
    std::shared_ptr<const std::vector<TriageRow>> rows;
    std::shared_ptr<const RowIndex> index;
    int seeds_total = 0, seeds_found = 0;
  };
  std::map<std::string, HeldView> views_;
  std::string version_;  // the store's RankingInputsVersion the held analysis answers for
  int64_t view_rankings_ = 0;
};

}  // namespace caselink
