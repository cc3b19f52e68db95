// The delivery store's side of hand-overs: the person's last message, staff replies stored
// in the outbox (in the conversation's order, with their author), and one conversation read
// back in order for the staff transcript.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite_delivery_store.h"

namespace wache::store {
namespace {

namespace fs = std::filesystem;
using webhook::AcceptedMessage;
using webhook::OutboundMessage;

bot::TimePoint At(int64_t s) { return bot::TimePoint(std::chrono::seconds(s)); }

AcceptedMessage Msg(const std::string& id, const std::string& sender, const std::string& text,
                    int64_t sent) {
  AcceptedMessage m;
  m.message.platform = "messenger";
  m.message.account = "fb";
  m.message.sender = sender;
  m.message.message_id = id;
  m.message.text = text;
  m.message.time = At(sent);
  m.account_ref = "200";
  m.correlation_id = "c-" + id;
  return m;
}

OutboundMessage Reply(const std::string& sender, const std::string& text,
                      const std::string& author = "", const std::string& key = "") {
  OutboundMessage o;
  o.platform = "messenger";
  o.account_id = "fb";
  o.account_ref = "200";
  o.recipient = sender;
  o.reply.text = text;
  o.reply.template_key = key;
  o.author = author;
  return o;
}

class SqliteTranscriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("wache-transcript-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    store_ = std::move(SqliteDeliveryStore::Open(path_.string())).value();
  }
  void TearDown() override {
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  // Accepts and completes one message of `sender` with bot replies.
  AcceptedMessage Handled(const std::string& id, const std::string& sender, const std::string& text,
                          int64_t at, std::vector<OutboundMessage> replies) {
    std::vector<AcceptedMessage> in = {Msg(id, sender, text, at)};
    EXPECT_TRUE(store_->InsertInbound(in, At(at + 1)).ok());
    EXPECT_TRUE(store_->CompleteInbound(in[0], replies, At(at + 2)).ok());
    return in[0];
  }

  fs::path path_;
  std::unique_ptr<SqliteDeliveryStore> store_;
};

TEST_F(SqliteTranscriptTest, StaffRepliesAnswerTheLastMessageInOrderWithTheirAuthor) {
  EXPECT_FALSE(store_->LastInboundOf("messenger", "fb", "p1").value().has_value());
  Handled("m1", "p1", "Hallo", 1000, {Reply("p1", "Menü", "", "greeting.menu")});
  AcceptedMessage second = Handled("m2", "p1", "3", 1010, {Reply("p1", "Team", "", "menu.other")});
  Handled("m3", "p2", "Andere Person", 1020, {});
  auto last = store_->LastInboundOf("messenger", "fb", "p1").value();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->inbox_id, second.inbox_id);
  EXPECT_EQ(last->at, At(1010)) << "the person's own time, not the gateway's";

  auto id = store_->InsertReply(Reply("p1", "Guten Tag, hier Anna.", "staff:Anna"), *last,
                                "staff-1", At(1100));
  ASSERT_TRUE(id.ok()) << id.status().message();
  // The staff reply waits behind the bot replies of the same conversation.
  std::vector<std::string> sent;
  for (int round = 0; round < 4; ++round) {
    auto due = store_->ClaimDue(At(2000), 10);
    for (const auto& r : due.value()) {
      sent.push_back(r.message.reply.text + "/" + r.message.author);
      if (r.id == id.value()) {
        EXPECT_TRUE(r.message.from_staff());
        EXPECT_EQ(r.inbound_at, At(1010));
        EXPECT_EQ(r.correlation_id, "staff-1");
      }
      ASSERT_TRUE(store_->MarkSent(r.id, "mid", At(2000)).ok());
    }
  }
  EXPECT_EQ(sent, (std::vector<std::string>{"Menü/", "Team/", "Guten Tag, hier Anna./staff:Anna"}));

  auto t = store_->Conversation("messenger", "fb", "p1", At(5000), 50).value();
  ASSERT_EQ(t.size(), 5u);
  EXPECT_TRUE(t[0].from_person);
  EXPECT_EQ(t[0].text, "Hallo");
  EXPECT_EQ(t[1].author, "bot");
  EXPECT_EQ(t[1].template_key, "greeting.menu");
  EXPECT_EQ(t[1].status, "sent");
  EXPECT_EQ(t[2].text, "3");
  EXPECT_EQ(t[3].template_key, "menu.other");
  EXPECT_EQ(t[4].author, "staff:Anna");
  EXPECT_EQ(t[4].text, "Guten Tag, hier Anna.");
  EXPECT_EQ(t[4].at, At(1100));
  // The newest entries only, and nothing stored after `until`.
  auto newest = store_->Conversation("messenger", "fb", "p1", At(5000), 2).value();
  ASSERT_EQ(newest.size(), 2u);
  EXPECT_EQ(newest[1].author, "staff:Anna");
  EXPECT_EQ(store_->Conversation("messenger", "fb", "p1", At(1005), 50).value().size(), 2u);
}

TEST_F(SqliteTranscriptTest, ThePersonsMediaAndTapsAreMarkedAndAnonymisedRowsLeftOut) {
  std::vector<AcceptedMessage> in = {Msg("m1", "p1", "", 1000), Msg("m2", "p1", "Ablauf", 1001)};
  in[0].message.unsupported = "image";
  in[1].message.button_payload = "w1|applicant|menu|process";
  ASSERT_TRUE(store_->InsertInbound(in, At(1002)).ok());
  auto t = store_->Conversation("messenger", "fb", "p1", At(5000), 50).value();
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].unsupported, "image");
  EXPECT_FALSE(t[0].button);
  EXPECT_TRUE(t[1].button);
  EXPECT_EQ(t[1].text, "Ablauf");

  for (auto& m : in) ASSERT_TRUE(store_->CompleteInbound(m, {}, At(1003)).ok());
  ASSERT_GT(store_->AnonymiseBefore(At(9000)).value(), 0);
  EXPECT_TRUE(store_->Conversation("messenger", "fb", "p1", At(9000), 50).value().empty());
}

TEST_F(SqliteTranscriptTest, BotRepliesKeepTheFlowThatSaidThem) {
  OutboundMessage menu = Reply("p1", "Menü", "", "greeting.menu");
  menu.reply.flow = "greeting";
  OutboundMessage own = Reply("p1", "Bitte schreiben Sie", "", "common.unsupported");
  Handled("m1", "p1", "Hallo", 1000, {menu, own});
  auto last = store_->LastInboundOf("messenger", "fb", "p1").value();
  ASSERT_TRUE(
      store_->InsertReply(Reply("p1", "Anna hier", "staff:Anna"), *last, "s-1", At(1100)).ok());
  auto t = store_->Conversation("messenger", "fb", "p1", At(5000), 50).value();
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1].flow, "greeting");
  EXPECT_EQ(t[2].flow, "") << "the engine's own answer belongs to no flow";
  EXPECT_EQ(t[3].flow, "") << "a staff reply has none";
}

TEST(SqliteTranscriptUpgrade, AVersion4DatabaseGetsTheFlowColumnAndKeepsItsReplies) {
  // A database as Wache wrote it before schema 5: the current schema less the flow column,
  // with one bot reply stored.
  fs::path path = fs::temp_directory_path() / ("wache-upgrade-v4-" + std::to_string(::getpid()));
  for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  {
    auto store = std::move(SqliteDeliveryStore::Open(path.string())).value();
    std::vector<AcceptedMessage> in = {Msg("m1", "p1", "Hallo", 1000)};
    ASSERT_TRUE(store->InsertInbound(in, At(1001)).ok());
    ASSERT_TRUE(
        store->CompleteInbound(in[0], {Reply("p1", "Menü", "", "greeting.menu")}, At(1002)).ok());
  }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("ALTER TABLE outbox DROP COLUMN flow; PRAGMA user_version = 4;");
  }
  auto opened = SqliteDeliveryStore::Open(path.string());
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  auto t = opened.value()->Conversation("messenger", "fb", "p1", At(5000), 50).value();
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].template_key, "greeting.menu");
  EXPECT_EQ(t[1].flow, "") << "not known for replies stored before the upgrade";
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 6);
  }
  opened = Status::Error("closed");
  for (auto suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
}

}  // namespace
}  // namespace wache::store
