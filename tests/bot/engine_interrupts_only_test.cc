// Engine::Handle with interrupts_only (a conversation handed over to staff): interrupt flows
// answer as always; anything else gets no reply and leaves the conversation as it was.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bot/engine.h"
#include "bot/flow_loader.h"

namespace wache::bot {
namespace {

using ::testing::Contains;

const char* const kFlows[] = {
    "flow: emergency\npriority: interrupt\nflags: [emergency]\n"
    "when: { keywords: [hilfe] }\nsteps: [ say: emergency.call ]\n",
    R"(flow: applicant
when: { keywords: [bewerbung] }
steps:
  - id: menu
    ask: applicant.menu
    choices: [ { label: btn.process, id: process, next: process } ]
  - { id: process, say: applicant.process }
)",
    "flow: fallback\npriority: fallback\nsteps: [ say: fallback.text ]\n",
};

const char kDe[] = R"(emergency.call: Rufen Sie die 110 an.
applicant.menu: Was möchten Sie wissen?
btn.process: Ablauf
applicant.process: Online bewerben.
fallback.text: Das verstehe ich nicht.
)";

class EngineInterruptsOnlyTest : public testing::Test {
 protected:
  EngineInterruptsOnlyTest() {
    Diagnostics diags;
    FlowSet flows;
    for (const char* f : kFlows) LoadFlowString(f, "flow.yaml", flows, diags);
    TemplateSet templates;
    templates.LoadString(kDe, "de.yaml", "de", diags);
    playbook_ = Playbook::FromParts(std::move(flows), std::move(templates), diags);
    EXPECT_EQ(diags.Format(), "");
    account_.id = "koeln";
    account_.platform = "whatsapp";
    engine_ = std::make_unique<Engine>(playbook_, store_, clock_);
  }

  Decision Send(const std::string& text, bool interrupts_only) {
    InboundMessage msg{"whatsapp", "koeln", "alice", "", text, "", std::nullopt};
    Result<Decision> r = engine_->Handle(msg, account_, {.interrupts_only = interrupts_only});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : Decision{};
  }

  std::shared_ptr<const Playbook> playbook_;
  MemoryStateStore store_;
  FakeClock clock_;
  Account account_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineInterruptsOnlyTest, OnlyInterruptFlowsAnswerAndNothingElseChanges) {
  Send("Frage zur Bewerbung", false);  // the menu question is pending now
  auto before = store_.Load({"whatsapp", "koeln", "alice"}).value();
  ASSERT_TRUE(before.has_value());

  for (const char* text : {"1", "Ablauf", "Bewerbung", "völlig unverständlich"}) {
    Decision d = Send(text, true);
    EXPECT_TRUE(d.replies.empty()) << text;
    EXPECT_EQ(d.flow, "") << text;
    EXPECT_TRUE(d.flags.empty()) << text;
  }
  auto after = store_.Load({"whatsapp", "koeln", "alice"}).value();
  EXPECT_EQ(after->flow, before->flow);
  EXPECT_EQ(after->step, before->step);
  EXPECT_EQ(after->turns, before->turns);

  Decision emergency = Send("Hilfe!", true);
  EXPECT_EQ(emergency.flow, "emergency");
  EXPECT_THAT(emergency.flags, Contains("emergency"));
  ASSERT_EQ(emergency.replies.size(), 1u);
  EXPECT_EQ(emergency.replies[0].text, "Rufen Sie die 110 an.");
}

TEST_F(EngineInterruptsOnlyTest, WithoutTheOptionTheBotAnswersAsAlways) {
  Send("Frage zur Bewerbung", false);
  Decision d = Send("1", false);
  EXPECT_EQ(d.flow, "applicant");
  ASSERT_EQ(d.replies.size(), 1u);
  EXPECT_EQ(d.replies[0].text, "Online bewerben.");
}

}  // namespace
}  // namespace wache::bot
