#include <catch2/catch.hpp>

#include "services/intake/domain/dedup.h"

using namespace tiquete::intake::domain;

namespace {

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

DuplicateCandidate Candidate(std::string id, std::string incident, absl::Duration ago,
                             double similarity) {
  return {std::move(id), std::move(incident), kNow - ago, similarity};
}

}  // namespace

TEST_CASE("a candidate at the threshold counts and one just below does not", "[dedup]") {
  DedupPolicy policy;  // 0.55, 24 h
  auto ranked = RankDuplicateCandidates({Candidate("a", "INC-1", absl::Hours(1), 0.55),
                                         Candidate("b", "INC-2", absl::Hours(1), 0.549)},
                                        policy, kNow);
  REQUIRE(ranked.size() == 1);
  CHECK(ranked[0].incident_number == "INC-1");
}

TEST_CASE("the threshold is configurable", "[dedup]") {
  DedupPolicy strict;
  strict.threshold = 0.8;
  CHECK(RankDuplicateCandidates({Candidate("a", "INC-1", absl::Hours(1), 0.7)}, strict, kNow)
            .empty());
}

TEST_CASE("candidates outside the window around the new message are dropped", "[dedup]") {
  DedupPolicy policy;
  policy.window = absl::Hours(24);
  auto ranked = RankDuplicateCandidates(
      {Candidate("old", "INC-1", absl::Hours(25), 0.9),
       Candidate("edge", "INC-2", absl::Hours(24), 0.9),
       Candidate("later", "INC-3", -absl::Hours(2), 0.9)},  // handed over while this one waited
      policy, kNow);
  REQUIRE(ranked.size() == 2);
  CHECK(ranked[0].incident_number == "INC-3");
  CHECK(ranked[1].incident_number == "INC-2");
}

TEST_CASE("candidates are ranked by similarity, then recency, one per incident", "[dedup]") {
  DedupPolicy policy;
  auto ranked = RankDuplicateCandidates(
      {Candidate("a", "INC-1", absl::Hours(5), 0.7), Candidate("b", "INC-2", absl::Hours(1), 0.9),
       Candidate("c", "INC-1", absl::Hours(2), 0.95), Candidate("d", "INC-3", absl::Hours(3), 0.7),
       Candidate("e", "INC-4", absl::Hours(1), 0.7)},
      policy, kNow);
  REQUIRE(ranked.size() == 4);
  CHECK(ranked[0].message_id == "c");  // INC-1's best message
  CHECK(ranked[1].message_id == "b");
  CHECK(ranked[2].message_id == "e");  // 0.7, received most recently
  CHECK(ranked[3].message_id == "d");
}

TEST_CASE("at most max_candidates incidents are considered", "[dedup]") {
  DedupPolicy policy;
  policy.max_candidates = 2;
  auto ranked = RankDuplicateCandidates(
      {Candidate("a", "INC-1", absl::Hours(1), 0.9), Candidate("b", "INC-2", absl::Hours(1), 0.8),
       Candidate("c", "INC-3", absl::Hours(1), 0.7)},
      policy, kNow);
  CHECK(ranked.size() == 2);
}

TEST_CASE("only an open incident accepts a duplicate", "[dedup]") {
  for (auto s : {IncidentState::kNew, IncidentState::kAssigned, IncidentState::kInProgress,
                 IncidentState::kPending}) {
    CHECK(CanMergeInto({s, false}, false));
  }
  for (auto s : {IncidentState::kResolved, IncidentState::kClosed, IncidentState::kCancelled}) {
    CHECK_FALSE(CanMergeInto({s, false}, false));
  }
}

TEST_CASE("a possible security incident merges only into an incident already flagged", "[dedup]") {
  CHECK_FALSE(CanMergeInto({IncidentState::kNew, false}, true));
  CHECK(CanMergeInto({IncidentState::kNew, true}, true));
  CHECK(CanMergeInto({IncidentState::kNew, true}, false));
}

TEST_CASE("the compared text ignores reply prefixes, case, accents and punctuation", "[dedup]") {
  CHECK(DedupText("RE: No funciona el SIMAT", "Desde ayer, ¡no puedo ingresar!") ==
        DedupText("no funciona el simat", "desde ayer no puedo ingresar"));
}

TEST_CASE("the compared text is cut at a word boundary", "[dedup]") {
  std::string body;
  while (body.size() < 3 * kMaxDedupChars) body += "palabra ";
  const std::string text = DedupText("Asunto", body);
  CHECK(text.size() <= kMaxDedupChars);
  CHECK(text.substr(text.size() - 7) == "palabra");
}
