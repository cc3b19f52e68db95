#include "bot/engine.h"

#include <algorithm>

#include "bot/language.h"
#include "bot/normalizer.h"
#include "calendar/format.h"

namespace wache::bot {
namespace {

constexpr char kPayloadVersion[] = "w1";
// A flow that jumps around forever (a says-only cycle) must not hang a worker.
constexpr int kMaxStepsPerMessage = 64;

struct ParsedPayload {
  std::string flow, step, choice;
};

std::optional<ParsedPayload> ParsePayload(const std::string& payload) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (true) {
    size_t bar = payload.find('|', i);
    parts.push_back(payload.substr(i, bar == std::string::npos ? std::string::npos : bar - i));
    if (bar == std::string::npos) break;
    i = bar + 1;
  }
  if (parts.size() != 4 || parts[0] != kPayloadVersion) return std::nullopt;
  return ParsedPayload{parts[1], parts[2], parts[3]};
}

void AddFlag(Decision& d, const std::string& flag) {
  if (std::find(d.flags.begin(), d.flags.end(), flag) == d.flags.end()) d.flags.push_back(flag);
}

// Everything one message needs while it is being handled.
class Turn {
 public:
  Turn(const Playbook& pb, const Account& account, const std::string& platform,
       ConversationState& state, Decision& d, TimePoint now)
      : pb_(pb), account_(account), platform_(platform), state_(state), d_(d), now_(now) {}

  // The account's team is off duty now (its calendar says so). Without a calendar the bot
  // cannot know and assumes on duty: the flows' normal path.
  bool OffDuty() const { return account_.calendar && !account_.calendar->IsStaffed(now_); }

  void Say(const std::string& key) { d_.replies.push_back(Render(key)); }

  void Ask(const Flow& flow, const Step& step) {
    Reply r = Render(step.ask);
    for (const auto& c : step.choices) {
      RenderedText label = pb_.templates.Render(c.label, state_.language, account_.language,
                                                platform_, Variables(), 0, account_.station);
      r.buttons.push_back(
          {ButtonPayload(flow.name, step.id, c.id), label.found ? label.text : c.label, c.label});
    }
    d_.replies.push_back(std::move(r));
    state_.flow = flow.name;
    state_.step = step.id;
    d_.step = step.id;
    d_.waiting_for_answer = true;
  }

  // Starts `flow` at `start_step` ("" = first step). Honours max_replies.
  void StartFlow(const Flow& flow, const std::string& start_step) {
    ClearPending();
    d_.flow = flow.name;
    for (const auto& f : flow.flags) AddFlag(d_, f);
    if (flow.max_replies > 0) {
      int& count = state_.replies_by_flow[flow.name];
      if (count >= flow.max_replies) {
        AddFlag(d_, "silenced");  // said enough; do not keep engaging
        return;
      }
      ++count;
    }
    int index = start_step.empty() ? 0 : flow.StepIndex(start_step);
    RunFrom(flow, std::max(index, 0));
  }

  void Follow(const Flow& flow, const Target& t) {
    if (t.end) {
      ClearPending();
      return;
    }
    if (!t.flow.empty()) {
      if (const Flow* next = FlowOfAccount(t.flow)) StartFlow(*next, "");
      return;
    }
    int index = flow.StepIndex(t.step);
    if (index >= 0) {
      ClearPending();
      d_.flow = flow.name;
      RunFrom(flow, index);
    }
  }

  void RunFrom(const Flow& flow, int index) {
    while (index >= 0 && index < static_cast<int>(flow.steps.size()) &&
           steps_run_++ < kMaxStepsPerMessage) {
      const Step& step = flow.steps[static_cast<size_t>(index)];
      if (!step.if_off_duty.empty() && OffDuty()) {
        // The step's off-duty version (e.g. "the control centre looks after this channel").
        int alternative = flow.StepIndex(step.if_off_duty);
        if (alternative >= 0 && alternative != index) {
          index = alternative;
          continue;
        }
      }
      d_.step = step.id.empty() ? "#" + std::to_string(index + 1) : step.id;
      if (step.handover) AddFlag(d_, "handover");
      if (step.is_ask()) {
        Ask(flow, step);
        return;
      }
      if (!step.say.empty()) Say(step.say);
      if (step.next.end) return;
      if (!step.next.flow.empty()) {
        if (const Flow* next = FlowOfAccount(step.next.flow)) StartFlow(*next, "");
        return;
      }
      index = step.next.step.empty() ? index + 1 : flow.StepIndex(step.next.step);
    }
  }

  void ClearPending() {
    state_.flow.clear();
    state_.step.clear();
    state_.retries = 0;
    d_.waiting_for_answer = false;
  }

 private:
  // `wache check` keeps force-wide flows from leading into a station's own flow; should a
  // live edit slip one through, the conversation ends there rather than leak another
  // station's flow.
  const Flow* FlowOfAccount(const std::string& name) const {
    const Flow* f = pb_.flows.Find(name);
    return f && f->Serves(account_.station) ? f : nullptr;
  }

  // The account's variables, plus {next_staffed_time} when it has a calendar (computed once
  // per message, in the conversation's language and the calendar's time zone).
  const std::map<std::string, std::string>& Variables() {
    if (!account_.calendar) return account_.variables;
    if (!with_time_) {
      with_time_ = account_.variables;
      auto next = account_.calendar->NextStaffedStart(now_);
      const std::string& language = state_.language.empty() ? account_.language : state_.language;
      (*with_time_)["next_staffed_time"] =
          next ? calendar::FormatNextStaffed(*next, now_, account_.calendar->time_zone(), language)
               : "";
    }
    return *with_time_;
  }

  Reply Render(const std::string& key) {
    RenderedText t = pb_.templates.Render(key, state_.language, account_.language, platform_,
                                          Variables(), state_.turns, account_.station);
    if (!t.found) {
      // `wache check` reports this; at runtime say something rather than nothing.
      AddFlag(d_, "missing_template");
      return {key, "[" + key + "]", state_.language, {}, d_.flow};
    }
    return {key, t.text, t.language, {}, d_.flow};
  }

  const Playbook& pb_;
  const Account& account_;
  const std::string& platform_;
  ConversationState& state_;
  Decision& d_;
  TimePoint now_;
  std::optional<std::map<std::string, std::string>> with_time_;
  int steps_run_ = 0;
};

const Flow* FallbackFlow(const FlowSet& flows) {
  for (const auto& f : flows.flows) {
    if (f.priority == Priority::kFallback) return &f;
  }
  return nullptr;
}

// The matches among the flows `station`'s accounts have. Among equally good matches a
// station's own flow comes before a force-wide one: the more specific answer wins, so a
// station can answer a topic its own way.
std::vector<TriggerMatch> ForStation(std::vector<TriggerMatch> matches,
                                     const std::string& station) {
  std::erase_if(matches, [&](const TriggerMatch& m) { return !m.flow->Serves(station); });
  std::stable_sort(matches.begin(), matches.end(),
                   [](const TriggerMatch& a, const TriggerMatch& b) {
                     if (a.score != b.score) return a.score > b.score;
                     return !a.flow->stations.empty() && b.flow->stations.empty();
                   });
  return matches;
}

}  // namespace

std::string ButtonPayload(const std::string& flow, const std::string& step,
                          const std::string& choice_id) {
  return std::string(kPayloadVersion) + "|" + flow + "|" + step + "|" + choice_id;
}

Engine::Engine(std::shared_ptr<const Playbook> playbook, StateStore& store, const Clock& clock)
    : playbook_(std::move(playbook)), store_(store), clock_(clock) {}

void Engine::SetPlaybook(std::shared_ptr<const Playbook> playbook) {
  std::lock_guard<std::mutex> lock(playbook_mu_);
  playbook_ = std::move(playbook);
}

std::shared_ptr<const Playbook> Engine::CurrentPlaybook() const {
  std::lock_guard<std::mutex> lock(playbook_mu_);
  return playbook_;
}

InterruptCheck Engine::CheckInterrupt(const std::string& text, const Account& account) const {
  std::shared_ptr<const Playbook> pb = CurrentPlaybook();
  if (text.empty()) return {false, pb->serial};
  auto all = pb->matcher->Match(Priority::kInterrupt, Normalize(text), text);
  // Any station's match keeps Handle matching: the account's station may be changed by a
  // reload before Handle runs.
  if (all.empty()) return {false, pb->serial};
  return {!ForStation(std::move(all), account.station).empty(), 0};
}

Result<Decision> Engine::Handle(const InboundMessage& msg, const Account& account,
                                HandleOptions options) {
  std::shared_ptr<const Playbook> pb_holder = CurrentPlaybook();
  const Playbook& pb = *pb_holder;
  const TimePoint now = msg.time.value_or(clock_.Now());
  const ConversationKey key{msg.platform, account.id, msg.sender};

  auto loaded = store_.Load(key);
  if (!loaded.ok()) return loaded.status();
  ConversationState state;
  if (loaded.value()) {
    state = *loaded.value();
    // An idle conversation starts over: an answer to a question asked an hour ago is
    // more likely a new topic than an answer.
    if (now - state.last_activity > std::chrono::minutes(account.conversation_timeout_minutes)) {
      state = ConversationState{};
    }
  }
  state.turns++;
  state.last_activity = now;

  Decision d;
  Turn turn(pb, account, msg.platform, state, d, now);
  const NormalizedText text = Normalize(msg.text);
  const bool has_text = !msg.text.empty();

  // Language: a language-specific trigger decides below; otherwise the text's own language,
  // if we have templates for it; otherwise the conversation keeps what it had.
  auto usable = [&](const std::string& lang) {
    return !lang.empty() && pb.templates.HasLanguage(lang);
  };
  // The text's own words are the best evidence of its language; a keyword's language only
  // decides when the text gives no clear signal ("imdat", "tattoo?"), because the same
  // word is often listed under several languages.
  const DetectedLanguage detected = DetectLanguage(msg.text, text);
  const bool sure = detected.confident && usable(detected.code);
  if (usable(detected.code)) state.language = detected.code;
  if (state.language.empty()) state.language = account.language;
  auto adopt_trigger_language = [&](const TriggerMatch& m) {
    if (!sure && usable(m.language)) state.language = m.language;
    d.matched = m.matched;
  };

  auto finish = [&]() -> Result<Decision> {
    d.language = state.language;
    if (options.defer_save) {
      d.state_to_save = state;
      return d;
    }
    if (Status s = store_.Save(key, state); !s.ok()) return s;
    return d;
  };

  // 1. Emergencies first, whatever else is going on.
  if (has_text && options.no_interrupt_in_playbook != pb.serial) {
    auto interrupts =
        ForStation(pb.matcher->Match(Priority::kInterrupt, text, msg.text), account.station);
    if (!interrupts.empty()) {
      adopt_trigger_language(interrupts.front());
      turn.StartFlow(*interrupts.front().flow, interrupts.front().trigger->start_at);
      return finish();
    }
  }
  if (options.interrupts_only) {  // staff have the conversation: no reply, nothing saved
    d.language = state.language;
    return d;
  }

  // Notices (personal data) go in front of whatever answers the message.
  if (has_text) {
    for (const auto& m :
         ForStation(pb.matcher->Match(Priority::kNotice, text, msg.text), account.station)) {
      Decision notice;
      Turn notice_turn(pb, account, msg.platform, state, notice, now);
      std::string pending_flow = state.flow, pending_step = state.step;
      int retries = state.retries;
      notice_turn.StartFlow(*m.flow, m.trigger->start_at);
      // A notice never changes where the conversation stands.
      state.flow = pending_flow;
      state.step = pending_step;
      state.retries = retries;
      for (auto& f : notice.flags) AddFlag(d, f);
      for (auto& r : notice.replies) d.replies.push_back(std::move(r));
    }
  }

  // A picture, voice message or location without words: we cannot read it, so ask for text
  // (the template names the emergency number). A pending question stays pending.
  if (!msg.unsupported.empty() && !has_text && msg.button_payload.empty()) {
    AddFlag(d, "unsupported");
    turn.Say("common.unsupported");
    return finish();
  }

  // A flow the account no longer has (a live edit moved it to other stations) counts as
  // vanished, like a deleted one.
  const Flow* pending_flow = state.flow.empty() ? nullptr : pb.flows.Find(state.flow);
  if (pending_flow && !pending_flow->Serves(account.station)) pending_flow = nullptr;
  const Step* pending_step = nullptr;
  if (pending_flow) {
    int index = pending_flow->StepIndex(state.step);
    if (index >= 0 && pending_flow->steps[static_cast<size_t>(index)].is_ask()) {
      pending_step = &pending_flow->steps[static_cast<size_t>(index)];
    }
  }
  if (!pending_step) turn.ClearPending();  // the flow files changed under the conversation

  // 2a. A button tap. The payload names flow, step and choice, so a tap on an older menu
  // still works while that choice exists.
  if (!msg.button_payload.empty()) {
    auto p = ParsePayload(msg.button_payload);
    const Flow* flow = p ? pb.flows.Find(p->flow) : nullptr;
    if (flow && !flow->Serves(account.station)) flow = nullptr;  // not this account's flow
    const Step* step = nullptr;
    const Choice* choice = nullptr;
    if (flow) {
      int index = flow->StepIndex(p->step);
      if (index >= 0) step = &flow->steps[static_cast<size_t>(index)];
    }
    if (step) {
      for (const auto& c : step->choices) {
        if (c.id == p->choice) choice = &c;
      }
    }
    if (choice) {
      d.flow = flow->name;
      d.matched = "button " + choice->id;
      turn.Follow(*flow, choice->next);
      return finish();
    }
    // A button from a menu that no longer exists: say so and show what can be done now.
    AddFlag(d, "stale_button");
    turn.Say("common.stale_button");
    if (pending_step) {
      d.flow = pending_flow->name;
      turn.Ask(*pending_flow, *pending_step);
    } else if (const Flow* fallback = FallbackFlow(pb.flows)) {
      turn.StartFlow(*fallback, "");
    }
    return finish();
  }

  // 2b. The answer to the pending question. A choice found only as a word inside a longer
  // message gives way to a topic with more evidence: "Ja, wie ist das mit Tattoos?" at
  // "anything else?" is a question about tattoos, not just "yes".
  Matcher::ChoiceMatch answer;
  if (pending_step) answer = pb.matcher->MatchChoice(*pending_step, text);
  // A number or an exact label always answers; only otherwise are topics worth matching.
  std::vector<TriggerMatch> topics;
  if (has_text && !answer.exact) {
    topics = ForStation(pb.matcher->Match(Priority::kNormal, text, msg.text), account.station);
    if (topics.empty()) {
      topics = ForStation(pb.matcher->Match(Priority::kLow, text, msg.text), account.station);
    }
  }
  if (answer.index >= 0) {
    bool topic_wins = !answer.exact && !topics.empty() && topics.front().score > answer.weight;
    if (!topic_wins) {
      const Choice& choice = pending_step->choices[static_cast<size_t>(answer.index)];
      d.flow = pending_flow->name;
      d.matched = "choice " + choice.id;
      turn.Follow(*pending_flow, choice.next);
      return finish();
    }
  }

  // 3. Triggers: a new topic, even in the middle of a question.
  if (!topics.empty()) {
    adopt_trigger_language(topics.front());
    turn.StartFlow(*topics.front().flow, topics.front().trigger->start_at);
    return finish();
  }

  // 4. Not understood: ask again a few times, then give up gracefully.
  if (pending_step) {
    const NotUnderstood& rule = pending_step->if_not_understood;
    const int allowed = pending_step->has_if_not_understood ? rule.ask_again : 1;
    if (state.retries < allowed) {
      int retries = state.retries + 1;
      d.flow = pending_flow->name;
      if (!rule.say.empty()) turn.Say(rule.say);
      turn.Ask(*pending_flow, *pending_step);
      state.retries = retries;
      AddFlag(d, "not_understood");
      return finish();
    }
    turn.ClearPending();
    AddFlag(d, "not_understood");
    if (!rule.then.empty()) {
      d.flow = pending_flow->name;
      turn.Follow(*pending_flow, rule.then);
      return finish();
    }
  }
  if (const Flow* fallback = FallbackFlow(pb.flows)) turn.StartFlow(*fallback, "");
  return finish();
}

}  // namespace wache::bot
