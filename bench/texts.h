// The messages the load generator sends: a realistic mix of what police accounts receive
// (German and English greetings, applicant questions, crime reports, some emergencies and a
// few other things), chosen in a fixed spread so every run sends the same mix.
#pragma once

#include <cstdint>
#include <string>

namespace wache::bench {

struct BenchText {
  const char* kind;  // greeting | applicant | report | emergency | other
  const char* text;
};

// The text of message number `index`. Roughly 20% greetings, 30% applicant questions, 30%
// reports, 10% emergencies, 10% other (thanks, small questions, other languages).
const BenchText& TextFor(uint64_t index);

// Every 50th message is a picture without caption (answered with "please write text").
inline bool ImageFor(uint64_t index) { return index % 50 == 49; }

}  // namespace wache::bench
