// Engine: the order of decisions (interrupt, pending answer, triggers, not understood),
// notices, max_replies, language choice, expiry and persistence of conversation state.
#include "bot/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bot/flow_loader.h"

namespace wache::bot {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

// Small flows covering every priority; each test below uses one or two of them.
const char* const kFlows[] = {
    R"(flow: emergency
priority: interrupt
flags: [emergency]
when: { keywords: { de: [hilfe, messer], en: [help] } }
steps: [ say: emergency.call ]
)",
    R"(flow: personal_data
priority: notice
flags: [personal_data]
when: { raw_patterns: ['[a-z]+@[a-z]+\.[a-z]+'] }
steps: [ say: personal_data.warning ]
)",
    R"(flow: applicant
when:
  - keywords: { de: [bewerbung], en: [apply] }
  - { start_at: tattoos, keywords: [tattoo, tattoos] }
steps:
  - id: menu
    ask: applicant.menu
    choices:
      - { label: btn.requirements, id: requirements, next: requirements }
      - { label: btn.process, id: process, next: process }
    if_not_understood: { say: common.please_pick, ask_again: 2 }
  - { id: requirements, say: applicant.requirements, end: true }
  - { id: process, say: applicant.process, handover: true, end: true }
  - { id: tattoos, say: applicant.tattoos }
)",
    R"(flow: report
when: { keywords: [anzeige] }
steps:
  - id: now
    ask: report.now
    choices: [ { label: btn.yes, id: yes, flow: emergency, keywords: [ja] } ]
    if_not_understood: { ask_again: 0, then: online }
  - { id: online, say: report.online }
)",
    "flow: netiquette\nflags: [insult]\nmax_replies: 1\nwhen: { keywords: [idioten] }\n"
    "steps: [ say: netiquette.reply ]\n",
    "flow: smalltalk\npriority: low\nwhen: { keywords: [danke] }\nsteps: [ say: smalltalk.reply "
    "]\n",
    "flow: fallback\npriority: fallback\nsteps: [ say: fallback.text ]\n",
};

const char kDe[] = R"(emergency.call: "Rufen Sie sofort die {emergency_number} an."
personal_data.warning: Bitte keine persönlichen Daten.
applicant.menu: Was möchten Sie wissen?
btn.requirements: Voraussetzungen
btn.process: Ablauf
applicant.requirements: Abitur oder Fachhochschulreife.
applicant.process: Online bewerben.
applicant.tattoos: Tattoos sind meist erlaubt.
report.now: Passiert es gerade?
btn.yes: Ja
report.online: Nutzen Sie die Onlinewache.
netiquette.reply: Bitte bleiben Sie sachlich.
fallback.text: Das verstehe ich nicht.
smalltalk.reply: Gern!
common.please_pick: Bitte tippen Sie auf eine Antwort.
common.stale_button: Diese Auswahl ist nicht mehr aktuell.
)";
const char kEn[] = R"(applicant.menu: What would you like to know?
btn.requirements: Requirements
btn.process: Process
fallback.text: Sorry, I do not understand.
)";

class EngineTest : public testing::Test {
 protected:
  EngineTest() {
    Diagnostics diags;
    FlowSet flows;
    for (const char* f : kFlows) LoadFlowString(f, "flow.yaml", flows, diags);
    TemplateSet templates;
    templates.LoadString(kDe, "de.yaml", "de", diags);
    templates.LoadString(kEn, "en.yaml", "en", diags);
    playbook_ = Playbook::FromParts(std::move(flows), std::move(templates), diags);
    EXPECT_EQ(diags.Format(), "");
    account_.id = "koeln";
    account_.platform = "whatsapp";
    account_.language = "de";
    account_.conversation_timeout_minutes = 30;
    account_.variables = {{"emergency_number", "110"}};
    engine_ = std::make_unique<Engine>(playbook_, store_, clock_);
  }

  Decision Send(const std::string& text, const std::string& payload = "",
                const std::string& sender = "alice") {
    InboundMessage msg{"whatsapp", "koeln", sender, "", text, payload, std::nullopt};
    Result<Decision> r = engine_->Handle(msg, account_);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : Decision{};
  }

  static std::vector<std::string> Keys(const Decision& d) {
    std::vector<std::string> keys;
    for (const auto& r : d.replies) keys.push_back(r.template_key);
    return keys;
  }

  std::shared_ptr<const Playbook> playbook_;
  MemoryStateStore store_;
  FakeClock clock_;
  Account account_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, TriggerStartsFlowAndAsksItsQuestionWithButtons) {
  Decision d = Send("Frage zur Bewerbung");
  EXPECT_EQ(d.flow, "applicant");
  EXPECT_EQ(d.step, "menu");
  EXPECT_TRUE(d.waiting_for_answer);
  ASSERT_EQ(d.replies.size(), 1u);
  EXPECT_EQ(d.replies[0].text, "Was möchten Sie wissen?");
  ASSERT_EQ(d.replies[0].buttons.size(), 2u);
  EXPECT_EQ(d.replies[0].buttons[0].payload, "w1|applicant|menu|requirements");
  EXPECT_EQ(d.replies[0].buttons[0].label, "Voraussetzungen");
  EXPECT_EQ(d.replies[0].buttons[1].payload, ButtonPayload("applicant", "menu", "process"));
}

TEST_F(EngineTest, CheckInterruptTellsEmergenciesApartWithoutTouchingTheConversation) {
  EXPECT_TRUE(engine_->CheckInterrupt("Hilfe, ein Messer", account_).matches);
  EXPECT_FALSE(engine_->CheckInterrupt("Frage zur Bewerbung", account_).matches);
  EXPECT_FALSE(engine_->CheckInterrupt("", account_).matches);
  // Nothing was stored: the next message starts a fresh conversation.
  EXPECT_FALSE(store_.Load({"whatsapp", "koeln", "alice"}).value().has_value());
}

TEST_F(EngineTest, AnInterruptCheckAtIntakeSparesTheSecondMatchOnlyWithTheSamePlaybook) {
  const InterruptCheck none = engine_->CheckInterrupt("Frage zur Bewerbung", account_);
  EXPECT_FALSE(none.matches);
  EXPECT_EQ(none.none_in_playbook, playbook_->serial);
  // A text an interrupt flow matches never counts as "none": Handle always matches it again.
  EXPECT_EQ(engine_->CheckInterrupt("Hilfe, ein Messer", account_).none_in_playbook, 0u);

  // Handle trusts a check made with its current playbook and does not match the interrupt
  // flows again. Shown with a wrong check for an emergency text, which it then misses.
  InboundMessage msg{"whatsapp", "koeln", "bob", "", "Hilfe, ein Messer", "", std::nullopt};
  auto trusted = engine_->Handle(msg, account_, {.no_interrupt_in_playbook = playbook_->serial});
  ASSERT_TRUE(trusted.ok());
  EXPECT_NE(trusted.value().flow, "emergency");

  // After a live reload the check of the old playbook counts for nothing.
  Diagnostics diags;
  FlowSet flows;
  for (const char* f : kFlows) LoadFlowString(f, "flow.yaml", flows, diags);
  TemplateSet templates;
  templates.LoadString(kDe, "de.yaml", "de", diags);
  auto reloaded = Playbook::FromParts(std::move(flows), std::move(templates), diags);
  EXPECT_NE(reloaded->serial, playbook_->serial);
  engine_->SetPlaybook(reloaded);
  msg.sender = "carol";
  auto after = engine_->Handle(msg, account_, {.no_interrupt_in_playbook = playbook_->serial});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.value().flow, "emergency");
}

TEST_F(EngineTest, WithDeferredSavingTheStateComesBackInsteadOfBeingStored) {
  InboundMessage msg{"whatsapp", "koeln", "alice", "", "Frage zur Bewerbung", "", std::nullopt};
  auto d = engine_->Handle(msg, account_, {.defer_save = true});
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d.value().state_to_save.has_value());
  EXPECT_EQ(d.value().state_to_save->flow, "applicant");
  EXPECT_EQ(d.value().state_to_save->step, "menu");
  EXPECT_FALSE(store_.Load({"whatsapp", "koeln", "alice"}).value().has_value())
      << "the caller stores it";
  // Without the option the engine saves, and returns nothing to save.
  auto saved = engine_->Handle(msg, account_);
  ASSERT_TRUE(saved.ok());
  EXPECT_FALSE(saved.value().state_to_save.has_value());
  EXPECT_EQ(store_.Load({"whatsapp", "koeln", "alice"}).value()->step, "menu");
  // Staff have the conversation and nothing urgent came: nothing to save either way.
  auto silent = engine_->Handle(msg, account_, {.interrupts_only = true, .defer_save = true});
  ASSERT_TRUE(silent.ok());
  EXPECT_FALSE(silent.value().state_to_save.has_value());
}

TEST_F(EngineTest, AnotherStationsEmergencyFlowKeepsTheEngineMatching) {
  // Only Köln-Süd's accounts have this interrupt flow. For another station the text is not
  // urgent, but the check does not say "none": a reload may move the account to Köln-Süd
  // before the engine handles the message.
  Diagnostics diags;
  FlowSet flows;
  for (const char* f : kFlows) LoadFlowString(f, "flow.yaml", flows, diags);
  LoadFlowString(
      "flow: flood\npriority: interrupt\nstations: [koeln_sued]\n"
      "when: { keywords: [hochwasser] }\nsteps: [ say: emergency.call ]\n",
      "flood.yaml", flows, diags);
  TemplateSet templates;
  templates.LoadString(kDe, "de.yaml", "de", diags);
  engine_->SetPlaybook(Playbook::FromParts(std::move(flows), std::move(templates), diags));
  const InterruptCheck check = engine_->CheckInterrupt("Hochwasser im Keller", account_);
  EXPECT_FALSE(check.matches);
  EXPECT_EQ(check.none_in_playbook, 0u);
  account_.station = "koeln_sued";
  EXPECT_TRUE(engine_->CheckInterrupt("Hochwasser im Keller", account_).matches);
}

TEST_F(EngineTest, TriggerWithStartAtJumpsToItsStep) {
  Decision d = Send("Sind Tattoos erlaubt?");
  EXPECT_THAT(Keys(d), ElementsAre("applicant.tattoos"));
  EXPECT_FALSE(d.waiting_for_answer);
}

TEST_F(EngineTest, InterruptWinsInsideAnotherFlow) {
  Send("Frage zur Bewerbung");
  Decision d = Send("Hilfe, er hat ein Messer");
  EXPECT_EQ(d.flow, "emergency");
  EXPECT_THAT(d.flags, Contains("emergency"));
  EXPECT_THAT(Keys(d), ElementsAre("emergency.call"));
  EXPECT_EQ(d.replies[0].text, "Rufen Sie sofort die 110 an.");
  EXPECT_FALSE(d.waiting_for_answer);
  // The question is no longer pending: "1" is not an answer to it any more.
  EXPECT_EQ(Send("1").flow, "fallback");
}

TEST_F(EngineTest, PendingQuestionIsAnsweredByTapPayload) {
  Send("Frage zur Bewerbung");
  Decision d = Send("", "w1|applicant|menu|process");
  EXPECT_EQ(d.flow, "applicant");
  EXPECT_THAT(Keys(d), ElementsAre("applicant.process"));
  EXPECT_EQ(d.matched, "button process");
  EXPECT_THAT(d.flags, Contains("handover"));
  EXPECT_FALSE(d.waiting_for_answer);
}

TEST_F(EngineTest, PendingQuestionIsAnsweredByLabelTextInAnotherLanguage) {
  Send("Frage zur Bewerbung");
  Decision d = Send("Requirements");
  EXPECT_THAT(Keys(d), ElementsAre("applicant.requirements"));
  EXPECT_EQ(d.matched, "choice requirements");
}

TEST_F(EngineTest, PendingQuestionIsAnsweredByNumber) {
  Send("Frage zur Bewerbung");
  EXPECT_THAT(Keys(Send("2")), ElementsAre("applicant.process"));
}

TEST_F(EngineTest, StaleButtonIsExplainedAndThePendingQuestionAskedAgain) {
  Send("Frage zur Bewerbung");
  Decision d = Send("", "w1|applicant|menu|removed_choice");
  EXPECT_THAT(d.flags, Contains("stale_button"));
  EXPECT_THAT(Keys(d), ElementsAre("common.stale_button", "applicant.menu"));
  EXPECT_TRUE(d.waiting_for_answer);
  EXPECT_THAT(Keys(Send("1")), ElementsAre("applicant.requirements"));  // still answerable
}

TEST_F(EngineTest, StaleButtonWithoutPendingQuestionLeadsToTheFallback) {
  for (const char* payload : {"w1|old_flow|menu|x", "not a payload", "w0|applicant|menu|process"}) {
    Decision d = Send("", payload);
    EXPECT_THAT(d.flags, Contains("stale_button")) << payload;
    EXPECT_THAT(Keys(d), ElementsAre("common.stale_button", "fallback.text")) << payload;
  }
}

TEST_F(EngineTest, TapOnAnOlderMenuStillWorksWhileItsChoiceExists) {
  Send("Frage zur Bewerbung");
  Send("Ich habe eine Anzeige");  // a new topic: the report question is pending now
  EXPECT_THAT(Keys(Send("", "w1|applicant|menu|requirements")),
              ElementsAre("applicant.requirements"));
}

TEST_F(EngineTest, NotUnderstoodAsksAgainThenFallsBack) {
  Send("Frage zur Bewerbung");
  for (int i = 0; i < 2; ++i) {
    Decision d = Send("Wie ist das Wetter?");
    EXPECT_THAT(d.flags, Contains("not_understood"));
    EXPECT_THAT(Keys(d), ElementsAre("common.please_pick", "applicant.menu")) << "retry " << i;
    EXPECT_TRUE(d.waiting_for_answer);
  }
  Decision d = Send("Wie ist das Wetter?");
  EXPECT_THAT(d.flags, Contains("not_understood"));
  EXPECT_EQ(d.flow, "fallback");
  EXPECT_THAT(Keys(d), ElementsAre("fallback.text"));
  EXPECT_FALSE(d.waiting_for_answer);
}

TEST_F(EngineTest, NotUnderstoodFollowsItsThenTarget) {
  Send("Ich habe eine Anzeige");
  Decision d = Send("keine Ahnung");
  EXPECT_EQ(d.flow, "report");
  EXPECT_THAT(Keys(d), ElementsAre("report.online"));
}

TEST_F(EngineTest, ChoiceLeadingToAnotherFlowStartsIt) {
  Send("Ich habe eine Anzeige");
  Decision d = Send("ja");
  EXPECT_EQ(d.flow, "emergency");
  EXPECT_THAT(d.flags, Contains("emergency"));
}

TEST_F(EngineTest, TopicWithMoreEvidenceBeatsAChoiceKeywordInsideALongerMessage) {
  Send("Ich habe eine Anzeige");
  EXPECT_THAT(Keys(Send("ja, und sind Tattoos erlaubt?")), ElementsAre("applicant.tattoos"));
}

TEST_F(EngineTest, LowPriorityFlowAnswersOnlyWhenNoNormalFlowMatches) {
  EXPECT_EQ(Send("danke").flow, "smalltalk");
  EXPECT_EQ(Send("danke, eine Frage zur Bewerbung").flow, "applicant");
}

TEST_F(EngineTest, NoticeRepliesGoInFrontOfTheAnswer) {
  Decision d = Send("Bewerbung, meine Mail ist max@example.org");
  EXPECT_EQ(d.flow, "applicant");
  EXPECT_THAT(Keys(d), ElementsAre("personal_data.warning", "applicant.menu"));
  EXPECT_THAT(d.flags, Contains("personal_data"));
}

TEST_F(EngineTest, NoticeIsLeftOutWhenAnEmergencyAnswers) {
  Decision d = Send("Hilfe! max@example.org");
  EXPECT_THAT(Keys(d), ElementsAre("emergency.call"));
  EXPECT_THAT(d.flags, Not(Contains("personal_data")));
}

TEST_F(EngineTest, NoticeKeepsThePendingQuestion) {
  Send("Frage zur Bewerbung");
  Send("schreiben Sie an max@example.org");
  EXPECT_THAT(Keys(Send("2")), ElementsAre("applicant.process"));
}

TEST_F(EngineTest, MaxRepliesSilencesTheFlowAfterwards) {
  Decision first = Send("ihr idioten");
  EXPECT_THAT(Keys(first), ElementsAre("netiquette.reply"));
  EXPECT_THAT(first.flags, Contains("insult"));
  Decision second = Send("ihr idioten");
  EXPECT_EQ(second.flow, "netiquette");
  EXPECT_TRUE(second.replies.empty());
  EXPECT_THAT(second.flags, Contains("silenced"));
}

TEST_F(EngineTest, LanguageIsChosenFromTheTriggerKeywordWhenTheTextGivesNoSignal) {
  Decision d = Send("apply?");
  EXPECT_EQ(d.language, "en");
  ASSERT_EQ(d.replies.size(), 1u);
  EXPECT_EQ(d.replies[0].text, "What would you like to know?");
  EXPECT_EQ(d.replies[0].buttons[0].label, "Requirements");
}

TEST_F(EngineTest, TextLanguageBeatsTheLanguageOfTheKeyword) {
  // German stopwords ("ich", "will") around a keyword listed as English.
  Decision d = Send("ich will apply");
  EXPECT_EQ(d.flow, "applicant");
  EXPECT_EQ(d.language, "de");
  EXPECT_EQ(d.replies[0].text, "Was möchten Sie wissen?");
}

TEST_F(EngineTest, LanguageIsDetectedFromTheTextWhenNoTriggerDecides) {
  Decision d = Send("Hello, I have a question for you");
  EXPECT_EQ(d.language, "en");
  EXPECT_EQ(d.replies[0].text, "Sorry, I do not understand.");
  // A reply without a signal ("2") keeps the language; a missing text falls back to 'de'.
  EXPECT_EQ(Send("2").language, "en");
  Decision emergency = Send("help");
  EXPECT_EQ(emergency.replies[0].text, "Rufen Sie sofort die 110 an.");
  EXPECT_EQ(emergency.replies[0].language, "de");
}

TEST_F(EngineTest, ConversationExpiresAfterTheAccountTimeout) {
  account_.conversation_timeout_minutes = 5;
  Send("Frage zur Bewerbung");
  clock_.Advance(std::chrono::minutes(4));
  EXPECT_THAT(Keys(Send("Wie ist das Wetter?")),
              ElementsAre("common.please_pick", "applicant.menu"));
  clock_.Advance(std::chrono::minutes(6));
  Decision d = Send("2");  // the question was asked too long ago to be answered now
  EXPECT_EQ(d.flow, "fallback");
  auto state = store_.Load({"whatsapp", "koeln", "alice"}).value();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->turns, 1);  // counting started over
  EXPECT_EQ(state->retries, 0);
}

TEST_F(EngineTest, StateSurvivesBetweenCallsAndEngineInstances) {
  Send("Frage zur Bewerbung");
  auto state = store_.Load({"whatsapp", "koeln", "alice"}).value();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->flow, "applicant");
  EXPECT_EQ(state->step, "menu");
  EXPECT_EQ(state->language, "de");
  EXPECT_EQ(state->turns, 1);
  EXPECT_EQ(state->last_activity, clock_.Now());
  // A fresh engine on the same store continues the conversation.
  engine_ = std::make_unique<Engine>(playbook_, store_, clock_);
  EXPECT_THAT(Keys(Send("2")), ElementsAre("applicant.process"));
  EXPECT_EQ(store_.Load({"whatsapp", "koeln", "alice"}).value()->turns, 2);
}

TEST_F(EngineTest, ConversationsOfDifferentSendersAreSeparate) {
  Send("Frage zur Bewerbung", "", "alice");
  EXPECT_EQ(Send("2", "", "bob").flow, "fallback");
  EXPECT_THAT(Keys(Send("2", "", "alice")), ElementsAre("applicant.process"));
}

TEST_F(EngineTest, NewPlaybookTakesEffectAndMissingTemplateIsShownAsItsKey) {
  Diagnostics diags;
  FlowSet flows;
  LoadFlowString("flow: fallback\npriority: fallback\nsteps:\n  - say: no.such.key\n", "f.yaml",
                 flows, diags);
  engine_->SetPlaybook(Playbook::FromParts(std::move(flows), TemplateSet(), diags));
  Decision d = Send("Frage zur Bewerbung");
  EXPECT_EQ(d.flow, "fallback");
  ASSERT_EQ(d.replies.size(), 1u);
  EXPECT_EQ(d.replies[0].text, "[no.such.key]");
  EXPECT_THAT(d.flags, Contains("missing_template"));
}

}  // namespace
}  // namespace wache::bot
