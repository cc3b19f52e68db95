#include "bot/language.h"

#include <utf8proc.h>

#include <array>
#include <map>
#include <set>
#include <vector>

namespace wache::bot {
namespace {

// Frequent short words that are rare in the other languages. Normalised spelling
// (umlauts spelled out, accents stripped). Words shared across languages are left out.
const std::map<std::string, std::set<std::string>>& Stopwords() {
  static const auto* kWords = new std::map<std::string, std::set<std::string>>{
      {"de",
       {"ich",  "nicht",   "und",   "ist",    "das",   "der",     "die",   "mein",   "meine",
        "mich", "mir",     "bitte", "wie",    "was",   "wo",      "wann",  "kann",   "habe",
        "hat",  "wurde",   "ein",   "eine",   "einen", "mit",     "auf",   "bei",    "fuer",
        "sie",  "wir",     "es",    "zu",     "ja",    "nein",    "hallo", "danke",  "gibt",
        "man",  "jemand",  "schon", "auch",   "noch",  "oder",    "sind",  "werden", "moechte",
        "will", "polizei", "hilfe", "gerade", "jetzt", "gestern", "da",    "hier",   "bin",
        "du",   "ihr",     "euch",  "uns",    "dem",   "den",     "vom",   "zum",    "zur",
        "im",   "aber",    "wenn",  "weil",   "dass",  "nur",     "mal",   "einem"}},
      {"en",
       {"i",         "the",    "is",     "my",     "me",      "you",   "and",   "what",   "how",
        "where",     "when",   "can",    "have",   "has",     "was",   "were",  "with",   "for",
        "to",        "of",     "please", "help",   "someone", "there", "this",  "that",   "do",
        "does",      "am",     "are",    "it",     "a",       "an",    "yes",   "no",     "hello",
        "hi",        "thanks", "thank",  "police", "want",    "need",  "just",  "your",   "now",
        "yesterday", "got",    "be",     "if",     "on",      "at",    "from",  "they",   "he",
        "she",       "not",    "dont",   "im",     "ive",     "would", "could", "should", "about"}},
      {"tr", {"bir",   "ve",     "bu",     "ben",     "beni",        "bana",  "benim",  "ne",
              "nasil", "nerede", "var",    "yok",     "mi",          "mu",    "icin",   "ile",
              "cok",   "evet",   "hayir",  "merhaba", "tesekkurler", "polis", "yardim", "lutfen",
              "simdi", "dun",    "biri",   "oldu",    "istiyorum",   "ama",   "da",     "de",
              "gibi",  "kadar",  "olarak", "sey"}},
      {"pl", {"jest",     "nie",   "mnie",   "mi",     "moj",     "moja",    "co",    "jak",
              "gdzie",    "kiedy", "czy",    "sie",    "to",      "na",      "ze",    "w",
              "z",        "i",     "prosze", "pomocy", "pomoc",   "policja", "dzien", "dobry",
              "dziekuje", "tak",   "ktos",   "teraz",  "wczoraj", "chce",    "moge",  "mam",
              "jestem",   "bo",    "ale",    "tylko",  "juz",     "sa"}},
      {"ru",
       {"я",       "не",         "и",       "в",   "на",  "что",          "как",      "где",
        "меня",    "мне",        "мой",     "моя", "это", "кто",          "помогите", "помощь",
        "полиция", "пожалуйста", "спасибо", "да",  "нет", "здравствуите", "привет",   "сеичас",
        "вчера",   "хочу",       "можно",   "он",  "она", "есть",         "был",      "была",
        "очень",   "только",     "уже",     "если"}},
      {"uk",
       {"я",     "не",    "і",   "в",   "на",     "що",         "як",       "де",      "мене",
        "мені",  "мій",   "моя", "це",  "хто",    "допоможіть", "допомога", "поліція", "будь",
        "ласка", "дякую", "так", "ні",  "привіт", "зараз",      "вчора",    "хочу",    "можна",
        "він",   "вона",  "є",   "був", "була",   "дуже",       "тільки",   "вже",     "якщо"}},
  };
  return *kWords;
}

}  // namespace

DetectedLanguage DetectLanguage(std::string_view raw, const NormalizedText& normalized) {
  // Count scripts and distinctive letters on the raw text: normalising removes exactly
  // the marks that tell Turkish, Polish and German apart.
  int arabic = 0, cyrillic = 0, latin = 0;
  std::map<std::string, int> letters;
  for (char32_t c : CodePoints(raw)) {
    const utf8proc_int32_t cp = utf8proc_tolower(static_cast<utf8proc_int32_t>(c));
    if (cp >= 0x0600 && cp <= 0x06FF)
      ++arabic;
    else if (cp >= 0x0400 && cp <= 0x04FF)
      ++cyrillic;
    else if ((cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F))
      ++latin;
    switch (cp) {
      case 0x0456:
      case 0x0457:
      case 0x0454:
      case 0x0491:
        ++letters["uk"];
        break;  // і ї є ґ
      case 0x044B:
      case 0x044D:
      case 0x044A:
      case 0x0451:
        ++letters["ru"];
        break;  // ы э ъ ё
      case 0x0131:
      case 0x015F:
      case 0x011F:
        ++letters["tr"];
        break;  // ı ş ğ
      case 0x0105:
      case 0x0119:
      case 0x0142:
      case 0x0144:
      case 0x015B:
      case 0x017A:
      case 0x017C:
      case 0x0107:
        ++letters["pl"];
        break;  // ą ę ł ń ś ź ż ć
      case 0x00E4:
      case 0x00DF:
        ++letters["de"];
        break;  // ä ß
      case 0x00F6:
      case 0x00FC:
        ++letters["de_tr"];
        break;  // ö ü: German and Turkish
      case 0x00E7:
        ++letters["tr_weak"];
        break;  // ç: Turkish (also French)
      default:
        break;
    }
  }
  if (arabic > cyrillic && arabic > latin) return {"ar", true};

  std::map<std::string, int> score;
  for (const auto& token : normalized.tokens) {
    for (const auto& [lang, words] : Stopwords()) {
      if (words.count(token)) ++score[lang];
    }
  }
  if (cyrillic > latin) {
    int uk = score["uk"] + 2 * letters["uk"];
    int ru = score["ru"] + 2 * letters["ru"];
    if (uk == ru) return {"ru", false};  // no tell: Russian is the likelier reader, a guess
    return {uk > ru ? "uk" : "ru", true};
  }
  if (latin == 0) return {};
  // Distinctive letters are strong evidence (ü can appear in Turkish, so tr letters weigh
  // more than German umlauts).
  score["tr"] += 3 * letters["tr"];
  score["pl"] += 3 * letters["pl"];
  score["de"] += 2 * letters["de"] + letters["de_tr"];
  score["tr"] += letters["de_tr"] + letters["tr_weak"];
  std::string best;
  int best_score = 0, second = 0;
  for (const char* lang : {"de", "en", "tr", "pl"}) {
    int s = score[lang];
    if (s > best_score) {
      second = best_score;
      best_score = s;
      best = lang;
    } else if (s > second) {
      second = s;
    }
  }
  // A tie tells us nothing; one stopword against none is enough for a short message.
  if (best_score == 0 || best_score == second) return {};
  // Shared letters alone (ö, ü) are only a guess.
  bool only_shared = score[best] <= letters["de_tr"] + letters["tr_weak"];
  return {best, !only_shared};
}

}  // namespace wache::bot
