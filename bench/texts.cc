#include "bench/texts.h"

#include <iterator>

namespace wache::bench {
namespace {

// 50 entries; the proportions above are the proportions of this table.
const BenchText kTexts[] = {
    // greetings (10)
    {"greeting", "Hallo"},
    {"greeting", "Guten Morgen!"},
    {"greeting", "Moin moin"},
    {"greeting", "Hi, ist da jemand?"},
    {"greeting", "Servus"},
    {"greeting", "Guten Abend, ich hätte eine Frage"},
    {"greeting", "Hello"},
    {"greeting", "Good morning"},
    {"greeting", "hey there"},
    {"greeting", "Hallo zusammen 👋"},
    // applicant questions (15)
    {"applicant", "Ich will mich bewerben"},
    {"applicant", "Wie kann ich mich bei der Polizei bewerben?"},
    {"applicant", "Darf ich mit Tattoo zur Polizei?"},
    {"applicant", "Ich bin 1,58 groß, reicht das für die Polizei?"},
    {"applicant", "Brauche ich Abitur für das Polizeistudium?"},
    {"applicant", "Bis zu welchem Alter kann man sich bewerben?"},
    {"applicant", "Wie läuft der Sporttest ab?"},
    {"applicant", "Ich trage eine Brille, ist das ein Problem?"},
    {"applicant", "Wann ist die Bewerbungsfrist für nächstes Jahr?"},
    {"applicant", "Gibt es ein Praktikum bei der Polizei?"},
    {"applicant", "How can I apply to join the police?"},
    {"applicant", "Do I need perfect eyesight to become a police officer?"},
    {"applicant", "Is there an age limit for applicants?"},
    {"applicant", "Kann ich als Quereinsteiger zur Polizei?"},
    {"applicant", "Was muss ich beim Einstellungstest können?"},
    // reports (15)
    {"report", "Mir wurde gestern das Fahrrad geklaut"},
    {"report", "Ich möchte eine Anzeige wegen Betrug erstatten"},
    {"report", "Jemand hat mein Auto zerkratzt, wie zeige ich das an?"},
    {"report", "Mein Portemonnaie wurde im Bus gestohlen"},
    {"report", "Ich wurde im Internet betrogen, die Ware kam nie an"},
    {"report", "Hallo, mir wurde das Handy geklaut"},
    {"report", "Wie kann ich einen Diebstahl online melden?"},
    {"report", "Bei uns im Keller wurde letzte Woche eingebrochen"},
    {"report", "Jemand hat eine Fake-Seite mit meinen Fotos erstellt"},
    {"report", "Ich habe eine Sachbeschädigung an unserem Zaun bemerkt"},
    {"report", "My bike was stolen yesterday, how do I report it?"},
    {"report", "I want to report a fraud, someone scammed me online"},
    {"report", "Someone stole my wallet on the train last week"},
    {"report", "Ich möchte eine Anzeige erstatten"},
    {"report", "Unser Briefkasten wurde aufgebrochen, was soll ich machen?"},
    // emergencies (5)
    {"emergency", "Hilfe, ich werde bedroht"},
    {"emergency", "Hilfe jemand bricht gerade bei uns ein"},
    {"emergency", "Mein Nachbar schlägt gerade seine Frau, ich höre Schreie"},
    {"emergency", "help, someone is breaking into my house right now"},
    {"emergency", "Da ist ein Mann mit einem Messer vor meiner Tür"},
    // other (5)
    {"other", "Danke für die schnelle Antwort!"},
    {"other", "Thank you very much"},
    {"other", "Wann hat die Wache in der Innenstadt geöffnet?"},
    {"other", "Merhaba, bisikletim çalındı"},
    {"other", "Was ist das hier eigentlich?"},
};

}  // namespace

const BenchText& TextFor(uint64_t index) {
  constexpr uint64_t n = std::size(kTexts);
  // A stride coprime to 50 spreads the kinds evenly over any window of messages.
  return kTexts[(index * 17) % n];
}

}  // namespace wache::bench
