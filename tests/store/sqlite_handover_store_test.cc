// The SQLite hand-over store on a real file: one open hand-over per conversation, changes
// only while open, each change with its audit entry, idle release, lists by state and
// station, erasure and retention.
#include "store/sqlite_handover_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace wache::store {
namespace {

namespace fs = std::filesystem;
using webhook::staff::AuditEntry;
using webhook::staff::Handover;
using webhook::staff::HandoverQuery;
using webhook::staff::HandoverState;

bot::TimePoint At(int64_t s) { return bot::TimePoint(std::chrono::seconds(s)); }

Handover Conversation(const std::string& sender, const std::string& station = "koeln",
                      int64_t at = 1000) {
  Handover h;
  h.platform = "messenger";
  h.account = "fb";
  h.account_ref = "200";
  h.sender = sender;
  h.station = station;
  h.reason = "flow:fallback";
  h.opened_at = At(at);
  return h;
}

AuditEntry By(const std::string& who, const std::string& action, int64_t id, int64_t at,
              const std::string& station = "koeln") {
  return {0, At(at), who, "agent", action, id, station, ""};
}

class SqliteHandoverStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("wache-handover-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    auto s = SqliteHandoverStore::Open(path_.string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  Handover OpenOne(const std::string& sender, const std::string& station = "koeln",
                   int64_t at = 1000) {
    auto r = store_->Open(Conversation(sender, station, at), By("wache", "opened", 0, at, station));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.value().first;
  }

  std::vector<AuditEntry> Audit() { return store_->ListAudit({}, 100).value(); }

  fs::path path_;
  std::unique_ptr<SqliteHandoverStore> store_;
};

TEST_F(SqliteHandoverStoreTest, AConversationHasAtMostOneOpenHandover) {
  auto first = store_->Open(Conversation("p1"), By("wache", "opened", 0, 1000));
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first.value().second);
  const Handover& h = first.value().first;
  EXPECT_GT(h.id, 0);
  EXPECT_EQ(h.state, HandoverState::kWaiting);
  EXPECT_EQ(h.station, "koeln");
  EXPECT_EQ(h.reason, "flow:fallback");
  EXPECT_EQ(h.last_activity, At(1000));

  auto again = store_->Open(Conversation("p1", "koeln", 2000), By("wache", "opened", 0, 2000));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again.value().second);
  EXPECT_EQ(again.value().first.id, h.id);
  EXPECT_EQ(again.value().first.opened_at, At(1000));
  // Only the real opening is audited, with the new id.
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "opened");
  EXPECT_EQ(audit[0].handover_id, h.id);

  auto found = store_->FindOpen("messenger", "fb", "p1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(found.value()->id, h.id);
  EXPECT_FALSE(store_->FindOpen("messenger", "fb", "p2").value().has_value());
}

TEST_F(SqliteHandoverStoreTest, ChangesApplyOnlyWhileOpenAndEachIsAudited) {
  Handover h = OpenOne("p1");
  auto taken = store_->Take(h.id, "Anna", At(1100), By("Anna", "take", h.id, 1100));
  ASSERT_TRUE(taken.ok() && taken.value());
  auto urgent = store_->MarkUrgent(h.id, By("wache", "urgent", h.id, 1150));
  ASSERT_TRUE(urgent.ok() && urgent.value());
  Handover now = store_->Get(h.id).value().value();
  EXPECT_EQ(now.state, HandoverState::kInProgress);
  EXPECT_EQ(now.assignee, "Anna");
  EXPECT_TRUE(now.urgent);
  EXPECT_EQ(now.last_activity, At(1100)) << "an emergency message is not staff activity";

  auto closed = store_->Close(h.id, "released", At(1200), By("Anna", "release", h.id, 1200));
  ASSERT_TRUE(closed.ok() && closed.value());
  now = store_->Get(h.id).value().value();
  EXPECT_EQ(now.state, HandoverState::kClosed);
  EXPECT_EQ(now.outcome, "released");
  ASSERT_TRUE(now.closed_at.has_value());
  EXPECT_EQ(*now.closed_at, At(1200));

  // Closed: nothing more changes, and nothing more is audited.
  EXPECT_FALSE(store_->Take(h.id, "Bert", At(1300), By("Bert", "take", h.id, 1300)).value());
  EXPECT_FALSE(store_->MarkUrgent(h.id, By("wache", "urgent", h.id, 1300)).value());
  EXPECT_FALSE(store_->Close(h.id, "closed", At(1300), By("Bert", "close", h.id, 1300)).value());
  EXPECT_FALSE(store_->Take(999, "Bert", At(1300), By("Bert", "take", 999, 1300)).value());
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0].action, "release");  // newest first
  EXPECT_EQ(audit[1].action, "urgent");
  EXPECT_EQ(audit[2].action, "take");
  EXPECT_EQ(audit[3].action, "opened");

  // The conversation can be handed over again later: a new hand-over.
  Handover second = OpenOne("p1", "koeln", 5000);
  EXPECT_NE(second.id, h.id);
  EXPECT_EQ(second.state, HandoverState::kWaiting);
  EXPECT_FALSE(second.urgent);
}

TEST_F(SqliteHandoverStoreTest, IdleHandoversAreReleasedWithAnAuditEntry) {
  Handover old_one = OpenOne("p1", "koeln", 1000);
  Handover active = OpenOne("p2", "koeln", 1000);
  ASSERT_TRUE(
      store_->Take(active.id, "Anna", At(5000), By("Anna", "take", active.id, 5000)).value());
  Handover fresh = OpenOne("p3", "dortmund", 4000);

  auto released = store_->ReleaseIdle(At(3000), At(6000));
  ASSERT_TRUE(released.ok()) << released.status().message();
  ASSERT_EQ(released.value().size(), 1u);
  EXPECT_EQ(released.value()[0].id, old_one.id);
  EXPECT_EQ(store_->Get(old_one.id).value()->outcome, "auto_released");
  EXPECT_EQ(store_->Get(old_one.id).value()->state, HandoverState::kClosed);
  EXPECT_TRUE(store_->Get(active.id).value()->open());
  EXPECT_TRUE(store_->Get(fresh.id).value()->open());
  auto audit = Audit();
  EXPECT_EQ(audit[0].action, "auto_released");
  EXPECT_EQ(audit[0].staff, "wache");
  EXPECT_EQ(audit[0].role, "system");
  EXPECT_EQ(audit[0].handover_id, old_one.id);
  EXPECT_NE(audit[0].detail.find("idle 83 min"), std::string::npos) << audit[0].detail;
  // Nothing idle left: a second run changes nothing.
  EXPECT_TRUE(store_->ReleaseIdle(At(3000), At(6000)).value().empty());
}

TEST_F(SqliteHandoverStoreTest, ListsFilterByStateAndStationUrgentFirst) {
  Handover a = OpenOne("p1", "koeln", 1000);
  Handover b = OpenOne("p2", "koeln", 1100);
  Handover c = OpenOne("p3", "dortmund", 1200);
  Handover d = OpenOne("p4", "koeln", 1300);
  ASSERT_TRUE(store_->MarkUrgent(b.id, By("wache", "urgent", b.id, 1400)).value());
  ASSERT_TRUE(store_->Take(d.id, "Anna", At(1400), By("Anna", "take", d.id, 1400)).value());
  ASSERT_TRUE(store_->Close(a.id, "closed", At(1500), By("Anna", "close", a.id, 1500)).value());

  auto ids = [&](HandoverQuery q) {
    std::vector<int64_t> out;
    auto list = store_->List(q);
    for (const auto& h : list.value()) out.push_back(h.id);
    return out;
  };
  EXPECT_EQ(ids({{HandoverState::kWaiting}, {}, 100}), (std::vector<int64_t>{b.id, c.id}));
  EXPECT_EQ(ids({{HandoverState::kWaiting}, {"koeln"}, 100}), (std::vector<int64_t>{b.id}));
  EXPECT_EQ(ids({{HandoverState::kWaiting, HandoverState::kInProgress}, {"koeln"}, 100}),
            (std::vector<int64_t>{b.id, d.id}));
  EXPECT_EQ(ids({{HandoverState::kClosed}, {}, 100}), (std::vector<int64_t>{a.id}));
  EXPECT_EQ(ids({{}, {"koeln", "dortmund"}, 2}).size(), 2u);
  EXPECT_TRUE(ids({{}, {"bonn"}, 100}).empty());

  auto counts = store_->CountOpen().value();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0], std::pair(HandoverState::kWaiting, 2L));
  EXPECT_EQ(counts[1], std::pair(HandoverState::kInProgress, 1L));
}

TEST_F(SqliteHandoverStoreTest, AuditIsReadPerStationNewestFirst) {
  ASSERT_TRUE(store_->Audit(By("Anna", "denied", 0, 1000, "koeln")).ok());
  ASSERT_TRUE(store_->Audit(By("Bert", "view", 7, 1100, "dortmund")).ok());
  ASSERT_TRUE(store_->Audit(By("Anna", "view", 8, 1200, "koeln")).ok());
  auto koeln = store_->ListAudit({"koeln"}, 10).value();
  ASSERT_EQ(koeln.size(), 2u);
  EXPECT_EQ(koeln[0].handover_id, 8);
  EXPECT_EQ(koeln[0].at, At(1200));
  EXPECT_EQ(koeln[1].action, "denied");
  EXPECT_EQ(store_->ListAudit({}, 2).value().size(), 2u);
}

TEST_F(SqliteHandoverStoreTest, ErasureAndRetentionDeleteHandoversButKeepTheAuditLog) {
  Handover a = OpenOne("p1", "koeln", 1000);
  Handover b = OpenOne("p2", "koeln", 1000);
  Handover c = OpenOne("p3", "koeln", 1000);
  ASSERT_TRUE(store_->Close(b.id, "closed", At(2000), By("Anna", "close", b.id, 2000)).value());
  ASSERT_TRUE(store_->Close(c.id, "closed", At(9000), By("Anna", "close", c.id, 9000)).value());

  EXPECT_EQ(store_->ErasePerson("messenger", "fb", "p1").value(), 1);
  EXPECT_FALSE(store_->Get(a.id).value().has_value());
  EXPECT_EQ(store_->EraseClosedBefore(At(5000)).value(), 1);
  EXPECT_FALSE(store_->Get(b.id).value().has_value());
  EXPECT_TRUE(store_->Get(c.id).value().has_value());
  EXPECT_EQ(Audit().size(), 5u);
}

}  // namespace
}  // namespace wache::store
