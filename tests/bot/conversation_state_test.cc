// MemoryStateStore: the StateStore contract the engine relies on, and the encoding of the
// per-flow reply counters that stores keep in one column.
#include "bot/conversation_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wache::bot {
namespace {

using std::chrono::minutes;

const TimePoint kNoon = TimePoint(std::chrono::seconds(1'800'000'000));

ConversationState State(const std::string& flow, TimePoint last_activity) {
  ConversationState s;
  s.flow = flow;
  s.step = "menu";
  s.language = "en";
  s.retries = 1;
  s.turns = 4;
  s.last_activity = last_activity;
  s.replies_by_flow = {{"netiquette", 1}};
  return s;
}

TEST(ConversationStateTest, LoadOfUnknownConversationIsEmptyNotAnError) {
  MemoryStateStore store;
  auto r = store.Load({"whatsapp", "koeln", "alice"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().has_value());
}

TEST(ConversationStateTest, SaveThenLoadReturnsTheSameState) {
  MemoryStateStore store;
  ConversationState s = State("applicant", kNoon);
  ASSERT_TRUE(store.Save({"whatsapp", "koeln", "alice"}, s).ok());
  auto r = store.Load({"whatsapp", "koeln", "alice"});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.value().has_value());
  EXPECT_EQ(*r.value(), s);
}

TEST(ConversationStateTest, SaveReplacesTheEarlierState) {
  MemoryStateStore store;
  ConversationKey key{"whatsapp", "koeln", "alice"};
  ASSERT_TRUE(store.Save(key, State("applicant", kNoon)).ok());
  ASSERT_TRUE(store.Save(key, State("report", kNoon + minutes(1))).ok());
  EXPECT_EQ(store.Load(key).value()->flow, "report");
  EXPECT_EQ(store.size(), 1u);
}

TEST(ConversationStateTest, EveryPartOfTheKeySeparatesConversations) {
  MemoryStateStore store;
  ASSERT_TRUE(store.Save({"whatsapp", "koeln", "alice"}, State("a", kNoon)).ok());
  ASSERT_TRUE(store.Save({"messenger", "koeln", "alice"}, State("b", kNoon)).ok());
  ASSERT_TRUE(store.Save({"whatsapp", "dortmund", "alice"}, State("c", kNoon)).ok());
  ASSERT_TRUE(store.Save({"whatsapp", "koeln", "bob"}, State("d", kNoon)).ok());
  EXPECT_EQ(store.size(), 4u);
  EXPECT_EQ(store.Load({"whatsapp", "koeln", "alice"}).value()->flow, "a");
  EXPECT_EQ(store.Load({"messenger", "koeln", "alice"}).value()->flow, "b");
  EXPECT_EQ(store.Load({"whatsapp", "dortmund", "alice"}).value()->flow, "c");
  EXPECT_EQ(store.Load({"whatsapp", "koeln", "bob"}).value()->flow, "d");
}

TEST(ConversationStateTest, EraseRemovesOnlyThatConversation) {
  MemoryStateStore store;
  ASSERT_TRUE(store.Save({"whatsapp", "koeln", "alice"}, State("a", kNoon)).ok());
  ASSERT_TRUE(store.Save({"whatsapp", "koeln", "bob"}, State("b", kNoon)).ok());
  ASSERT_TRUE(store.Erase({"whatsapp", "koeln", "alice"}).ok());
  EXPECT_FALSE(store.Load({"whatsapp", "koeln", "alice"}).value().has_value());
  EXPECT_TRUE(store.Load({"whatsapp", "koeln", "bob"}).value().has_value());
  EXPECT_TRUE(store.Erase({"whatsapp", "koeln", "nobody"}).ok());  // erasing nothing is fine
}

TEST(ConversationStateTest, EraseIdleBeforeDeletesOnlyConversationsIdleSinceBeforeTheCutoff) {
  MemoryStateStore store;
  ASSERT_TRUE(store.Save({"x", "a", "old"}, State("f", kNoon - minutes(31))).ok());
  ASSERT_TRUE(store.Save({"x", "a", "edge"}, State("f", kNoon - minutes(30))).ok());
  ASSERT_TRUE(store.Save({"x", "a", "new"}, State("f", kNoon)).ok());
  auto n = store.EraseIdleBefore(kNoon - minutes(30));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 1);
  EXPECT_FALSE(store.Load({"x", "a", "old"}).value().has_value());
  EXPECT_TRUE(store.Load({"x", "a", "edge"}).value().has_value());  // exactly at the cutoff stays
  EXPECT_TRUE(store.Load({"x", "a", "new"}).value().has_value());
  EXPECT_EQ(store.EraseIdleBefore(kNoon - minutes(30)).value(), 0);
}

TEST(ConversationStateTest, RepliesByFlowRoundTripsThroughItsEncoding) {
  std::map<std::string, int> m = {{"netiquette", 1}, {"thanks", 12}, {"a.b-c_d", 0}};
  EXPECT_EQ(DecodeRepliesByFlow(EncodeRepliesByFlow(m)), m);
  EXPECT_EQ(EncodeRepliesByFlow({}), "");
  EXPECT_TRUE(DecodeRepliesByFlow("").empty());
}

TEST(ConversationStateTest, RepliesByFlowEncodingIsSortedAndReadable) {
  EXPECT_EQ(EncodeRepliesByFlow({{"thanks", 2}, {"netiquette", 1}}), "netiquette=1,thanks=2");
}

TEST(ConversationStateTest, DecodingSkipsItemsWithoutAValue) {
  EXPECT_EQ(DecodeRepliesByFlow("netiquette=1,garbage,thanks=3"),
            (std::map<std::string, int>{{"netiquette", 1}, {"thanks", 3}}));
}

}  // namespace
}  // namespace wache::bot
