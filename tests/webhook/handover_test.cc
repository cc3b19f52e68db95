// Hand-over to staff end to end: a flow step or two misses in a row open a hand-over, the
// bot stays silent in it except for emergencies (which mark it urgent), and an idle
// hand-over returns to the bot, by the release job or at the person's next message.
#include <gtest/gtest.h>

#include "tests/webhook/staff_fixture.h"

namespace wache::webhook {
namespace {

using namespace std::chrono_literals;
using staff::HandoverState;

bool HasAction(const std::vector<staff::AuditEntry>& audit, const std::string& action,
               int64_t handover) {
  for (const auto& e : audit) {
    if (e.action == action && e.handover_id == handover) return true;
  }
  return false;
}

class HandoverTest : public StaffGatewayTest {};

TEST_F(HandoverTest, AHandoverStepOpensAWaitingHandoverAndTheBotFallsSilent) {
  Start();
  HandOver("whatsapp", "4915100000001");
  auto replies = RepliesTo("4915100000001");
  ASSERT_EQ(replies.size(), 2u);  // the greeting menu, then "our team will read this"
  EXPECT_NE(TextOf(replies[1]).find("Social-Media-Team"), std::string::npos) << TextOf(replies[1]);
  auto h = OpenHandover("whatsapp", "4915100000001");
  EXPECT_EQ(h->state, HandoverState::kWaiting);
  EXPECT_EQ(h->reason, "flow:greeting");
  EXPECT_EQ(h->station, "karriere");
  EXPECT_EQ(h->account_ref, kWhatsApp);
  EXPECT_FALSE(h->urgent);
  EXPECT_EQ(gateway_->metrics().Get("wache_handovers_opened_total",
                                    {{"platform", "whatsapp"}, {"reason", "flow:greeting"}}),
            1);

  // Anything that is not an emergency now waits for staff: no answer, not even "not
  // understood", and no blue ticks (a person has not read it).
  fake_.Clear();
  Send("whatsapp", "4915100000001", "Wie lange dauert das denn noch?");
  Send("whatsapp", "4915100000001", "Hallo");
  Send("whatsapp", "4915100000001", "Ich möchte mich bewerben");
  EXPECT_TRUE(fake_.Requests().empty()) << fake_.Requests().front().raw_body;
  EXPECT_EQ(gateway_->metrics().Get("wache_handover_messages_total", {{"platform", "whatsapp"}}),
            3);
  // The messages are stored for staff to read.
  auto transcript = delivery_->Conversation("whatsapp", "wa", "4915100000001", clock_.Now(), 50);
  ASSERT_TRUE(transcript.ok());
  ASSERT_FALSE(transcript.value().empty());
  EXPECT_EQ(transcript.value().back().text, "Ich möchte mich bewerben");
  EXPECT_TRUE(transcript.value().back().from_person);
  // Still one hand-over, still waiting.
  EXPECT_EQ(OpenHandover("whatsapp", "4915100000001")->id, h->id);
  auto audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "opened");
  EXPECT_EQ(audit[0].staff, "wache");
  EXPECT_EQ(audit[0].detail, "reason flow:greeting");
}

TEST_F(HandoverTest, AnEmergencyDuringAHandoverIsAnsweredAndMarksItUrgent) {
  Start();
  HandOver("messenger", "7001");
  const int64_t id = OpenHandover("messenger", "7001")->id;
  fake_.Clear();
  Send("messenger", "7001", "Hilfe, jemand bricht gerade bei mir ein");
  auto replies = RepliesTo("7001");
  ASSERT_FALSE(replies.empty());
  EXPECT_NE(TextOf(replies.front()).find("110"), std::string::npos) << TextOf(replies.front());
  auto h = OpenHandover("messenger", "7001");
  ASSERT_TRUE(h.has_value()) << "the hand-over stays open";
  EXPECT_EQ(h->id, id);
  EXPECT_TRUE(h->urgent);
  EXPECT_TRUE(HasAction(Audit(), "urgent", id));
  EXPECT_EQ(gateway_->metrics().Get("wache_handovers_urgent_total", {{"platform", "messenger"}}),
            1);
  EXPECT_EQ(gateway_->metrics().Get("wache_emergency_replies_total", {{"platform", "messenger"}}),
            1);

  // Afterwards the bot is silent again.
  fake_.Clear();
  Send("messenger", "7001", "Okay, ich warte");
  EXPECT_TRUE(RepliesTo("7001").empty());
}

TEST_F(HandoverTest, SelfHarmIsAnsweredAndOpensAnUrgentHandover) {
  Start();
  Send("instagram", "9001", "Ich will mich umbringen");
  auto replies = RepliesTo("9001");
  ASSERT_GE(replies.size(), 2u);
  EXPECT_NE(TextOf(replies.front()).find("110"), std::string::npos) << TextOf(replies.front());
  auto h = OpenHandover("instagram", "9001");
  ASSERT_TRUE(h.has_value());
  EXPECT_TRUE(h->urgent);
  EXPECT_EQ(h->reason, "flow:self_harm");
  EXPECT_EQ(Audit().at(0).detail, "reason flow:self_harm, urgent");
}

TEST_F(HandoverTest, TheBotFailingTwiceInARowOpensAHandover) {
  // A fallback flow without a hand-over step of its own: the gateway's rule opens it.
  StaffFixtureOptions o;
  o.fallback_flow =
      "flow: fallback\ndescription: Not understood, without a hand-over step.\n"
      "priority: fallback\nsteps:\n  - say: common.please_pick\n";
  Start(o);
  Send("x", "8001", "Quark mit Soße");
  EXPECT_FALSE(OpenHandover("x", "8001").has_value()) << "one miss is not enough";
  Send("x", "8001", "Danke");  // understood (thanks): the count starts again
  Send("x", "8001", "Quark mit Soße");
  EXPECT_FALSE(OpenHandover("x", "8001").has_value());
  Send("x", "8001", "Blubb blubb");
  auto h = OpenHandover("x", "8001");
  ASSERT_TRUE(h.has_value()) << "two misses in a row";
  EXPECT_EQ(h->reason, "not_understood_twice");
  EXPECT_EQ(RepliesTo("8001").size(), 4u) << "the second miss is still answered";
  Send("x", "8001", "Hallo?");
  EXPECT_EQ(RepliesTo("8001").size(), 4u) << "then staff answer";
  // Other conversations are not affected.
  Send("x", "8002", "Blubb blubb");
  EXPECT_FALSE(OpenHandover("x", "8002").has_value());
}

TEST_F(HandoverTest, AnIdleHandoverReturnsToTheBotThroughTheReleaseJob) {
  StaffFixtureOptions o;
  o.server_extra = "handover_idle_minutes: 30, ";
  o.release_period = 20ms;
  Start(o);
  HandOver("whatsapp", "4915100000002");
  const int64_t id = OpenHandover("whatsapp", "4915100000002")->id;
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(OpenHandover("whatsapp", "4915100000002").has_value()) << "not idle yet";

  clock_.Advance(31min);
  bool released = false;
  for (int i = 0; i < 200 && !released; ++i) {
    std::this_thread::sleep_for(10ms);
    released = !OpenHandover("whatsapp", "4915100000002").has_value();
  }
  ASSERT_TRUE(released) << "the release job did not run";
  auto h = handovers_->Get(id).value();
  EXPECT_EQ(h->state, HandoverState::kClosed);
  EXPECT_EQ(h->outcome, "auto_released");
  auto audit = Audit();
  ASSERT_TRUE(HasAction(audit, "auto_released", id));
  EXPECT_EQ(audit[0].staff, "wache");
  EXPECT_EQ(audit[0].detail, "idle 31 min, was waiting");
  EXPECT_EQ(gateway_->metrics().Get("wache_handovers_closed_total",
                                    {{"platform", "whatsapp"}, {"outcome", "auto_released"}}),
            1);

  // The bot answers again.
  fake_.Clear();
  Send("whatsapp", "4915100000002", "Ich möchte mich bewerben");
  EXPECT_EQ(RepliesTo("4915100000002").size(), 1u);
}

TEST_F(HandoverTest, ThePersonsNextMessageAfterTheIdleTimeGetsTheBotEvenBeforeTheJobRuns) {
  Start();  // the release job runs only hourly here
  HandOver("messenger", "7002");
  const int64_t id = OpenHandover("messenger", "7002")->id;
  // The person's own messages do not keep the hand-over: only staff activity does.
  clock_.Advance(100min);
  fake_.Clear();
  Send("messenger", "7002", "Hallo? Ist da jemand?");
  EXPECT_TRUE(RepliesTo("7002").empty());
  clock_.Advance(21min);
  Send("messenger", "7002", "Ich möchte mich bewerben");
  EXPECT_EQ(RepliesTo("7002").size(), 1u) << "back with the bot after 120 minutes";
  EXPECT_EQ(handovers_->Get(id).value()->outcome, "auto_released");
  EXPECT_TRUE(HasAction(Audit(), "auto_released", id));
}

}  // namespace
}  // namespace wache::webhook
