// ParseJsonBody and the accessors the adapters read untrusted JSON through: errors instead of
// exceptions, a nesting limit checked on the raw bytes (so a hostile body cannot exhaust the
// stack), and field accessors that never throw on a member of the wrong type.
#include "webhook/json_body.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace wache::webhook {
namespace {

using nlohmann::json;

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// --- ParseJsonBody ---

TEST(ParseJsonBodyTest, AValidBodyIsParsed) {
  auto r = ParseJsonBody(R"({"object":"page","entry":[{"id":"1"}]})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value()["object"], "page");
  EXPECT_EQ(r.value()["entry"][0]["id"], "1");
}

TEST(ParseJsonBodyTest, AnEmptyBodyIsAnError) {
  auto r = ParseJsonBody("");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("empty"), std::string::npos) << r.status().message();
}

TEST(ParseJsonBodyTest, BrokenJsonIsAnErrorNotAnException) {
  for (const char* body : {"{", "{\"a\":}", "[1,2", "nope", "{\"a\":1}}", "\"unterminated",
                           "{\"a\":1,}", "\xff\xfe"}) {
    SCOPED_TRACE(body);
    Result<json> r = json();
    EXPECT_NO_THROW(r = ParseJsonBody(body));
    EXPECT_FALSE(r.ok());
  }
}

TEST(ParseJsonBodyTest, NestingOfThirtyTwoLevelsIsAccepted) {
  auto r = ParseJsonBody(Nested(32));
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST(ParseJsonBodyTest, NestingOfThirtyThreeLevelsIsRejected) {
  auto r = ParseJsonBody(Nested(33));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested"), std::string::npos) << r.status().message();
}

TEST(ParseJsonBodyTest, ObjectsCountTowardTheDepthLikeArrays) {
  std::string deep;
  for (int i = 0; i < 33; ++i) deep += "{\"a\":";
  deep += "1" + std::string(33, '}');
  EXPECT_FALSE(ParseJsonBody(deep).ok());
  EXPECT_TRUE(ParseJsonBody(deep, 33).ok());
}

TEST(ParseJsonBodyTest, BracketsInsideStringsDoNotCountTowardTheDepth) {
  const std::string brackets(200, '[');
  auto r = ParseJsonBody(R"({"text":")" + brackets + R"(","more":"{{{{\"[[[["})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value()["text"], brackets);
  EXPECT_EQ(r.value()["more"], "{{{{\"[[[[");
}

TEST(ParseJsonBodyTest, AnEscapedQuoteDoesNotEndTheString) {
  // If \" ended the string, the 40 '[' after it would count as nesting.
  auto r = ParseJsonBody(R"(["a\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["])");
  EXPECT_TRUE(r.ok()) << r.status().message();
}

TEST(ParseJsonBodyTest, OneMegabyteOfOpeningBracketsIsRejectedWithoutCrashing) {
  auto r = ParseJsonBody(std::string(1 << 20, '['));
  EXPECT_FALSE(r.ok());
  auto r2 = ParseJsonBody(std::string(1 << 20, '{'));
  EXPECT_FALSE(r2.ok());
}

TEST(ParseJsonBodyTest, ACustomDepthLimitApplies) {
  EXPECT_TRUE(ParseJsonBody(Nested(3), 3).ok());
  EXPECT_FALSE(ParseJsonBody(Nested(4), 3).ok());
}

TEST(ParseJsonBodyTest, ScalarsAtTheTopLevelAreValidJson) {
  auto r = ParseJsonBody("42");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), 42);
}

// --- Member ---

TEST(MemberTest, FindsAMemberOfAnObject) {
  json j = {{"a", 1}};
  ASSERT_NE(Member(j, "a"), nullptr);
  EXPECT_EQ(*Member(j, "a"), 1);
  EXPECT_EQ(Member(j, "b"), nullptr);
}

TEST(MemberTest, IsNullOnNonObjects) {
  for (const json& j : {json::array({1, 2}), json(5), json("a"), json(nullptr), json(true)}) {
    EXPECT_EQ(Member(j, "a"), nullptr) << j.dump();
  }
}

// --- StringField ---

TEST(StringFieldTest, ReturnsAStringAsIs) {
  json j = {{"id", "wamid.HBgL"}, {"empty", ""}};
  EXPECT_EQ(StringField(j, "id"), "wamid.HBgL");
  EXPECT_EQ(StringField(j, "empty"), "");
}

TEST(StringFieldTest, ReturnsANumberAsItsDecimalText) {
  json j = json::parse(R"({"id":17841400000000003,"neg":-5,"zero":0})");
  EXPECT_EQ(StringField(j, "id"), "17841400000000003");
  EXPECT_EQ(StringField(j, "neg"), "-5");
  EXPECT_EQ(StringField(j, "zero"), "0");
}

// Regression: nlohmann's is_number_integer() is also true for unsigned numbers, so numbers
// above INT64_MAX once came back wrapped ("-1").
TEST(StringFieldTest, ReturnsANumberAboveInt64MaxAsItsDecimalText) {
  json j = json::parse(R"({"big":18446744073709551615,"edge":9223372036854775808})");
  EXPECT_EQ(StringField(j, "big"), "18446744073709551615");
  EXPECT_EQ(StringField(j, "edge"), "9223372036854775808");
}

TEST(StringFieldTest, ReturnsEmptyForOtherTypesAndMissingMembers) {
  json j = {{"b", true}, {"n", nullptr}, {"o", {{"x", 1}}}, {"a", {1, 2}}, {"f", 1.5}};
  EXPECT_EQ(StringField(j, "b"), "");
  EXPECT_EQ(StringField(j, "n"), "");
  EXPECT_EQ(StringField(j, "o"), "");
  EXPECT_EQ(StringField(j, "a"), "");
  EXPECT_EQ(StringField(j, "f"), "");
  EXPECT_EQ(StringField(j, "missing"), "");
  EXPECT_EQ(StringField(json::array(), "b"), "");
}

// --- IntField ---

TEST(IntFieldTest, ReadsANumber) {
  json j = json::parse(R"({"ms":1718000000123,"neg":-7})");
  EXPECT_EQ(IntField(j, "ms"), 1718000000123);
  EXPECT_EQ(IntField(j, "neg"), -7);
}

TEST(IntFieldTest, ReadsAStringOfDigits) {
  json j = {{"timestamp", "1718000000"}};
  EXPECT_EQ(IntField(j, "timestamp"), 1718000000);
}

TEST(IntFieldTest, RejectsStringsThatAreNotJustDigits) {
  json j = {{"a", "12a"}, {"b", ""},    {"c", " 12"},
            {"d", "12 "}, {"e", "1.5"}, {"f", "99999999999999999999"}};
  for (const char* key : {"a", "b", "c", "d", "e", "f"}) {
    EXPECT_EQ(IntField(j, key), std::nullopt) << key;
  }
}

TEST(IntFieldTest, RejectsOtherTypesAndMissingMembers) {
  json j = {{"b", true}, {"n", nullptr}, {"f", 1.5}, {"a", json::array({1})}};
  for (const char* key : {"b", "n", "f", "a", "missing"}) {
    EXPECT_EQ(IntField(j, key), std::nullopt) << key;
  }
  EXPECT_EQ(IntField(json("x"), "b"), std::nullopt);
}

// Regression: a number above INT64_MAX once wrapped to a negative value instead of nullopt
// (the same digits as a string give nullopt).
TEST(IntFieldTest, ANumberBeyondTheRangeOfInt64IsNotAnInteger) {
  json j = json::parse(R"({"big":18446744073709551615,"edge":9223372036854775808})");
  EXPECT_EQ(IntField(j, "big"), std::nullopt);
  EXPECT_EQ(IntField(j, "edge"), std::nullopt);
  EXPECT_EQ(IntField(json::parse(R"({"max":9223372036854775807})"), "max"), INT64_MAX);
}

// --- BoolField ---

TEST(BoolFieldTest, ReadsABooleanAndFallsBackOtherwise) {
  json j = {{"t", true}, {"f", false}, {"s", "true"}, {"n", 1}};
  EXPECT_TRUE(BoolField(j, "t"));
  EXPECT_FALSE(BoolField(j, "f", true));
  EXPECT_FALSE(BoolField(j, "s"));
  EXPECT_TRUE(BoolField(j, "s", true));
  EXPECT_FALSE(BoolField(j, "n"));
  EXPECT_TRUE(BoolField(j, "missing", true));
  EXPECT_FALSE(BoolField(json::array(), "t"));
}

// --- ArrayField ---

TEST(ArrayFieldTest, ReturnsTheElementsInOrder) {
  json j = {{"entry", {{{"id", "1"}}, {{"id", "2"}}, 3}}};
  auto items = ArrayField(j, "entry");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(StringField(*items[0], "id"), "1");
  EXPECT_EQ(StringField(*items[1], "id"), "2");
  EXPECT_EQ(*items[2], 3);
}

TEST(ArrayFieldTest, IsEmptyForNonArraysAndMissingMembers) {
  json j = {{"o", {{"a", 1}}}, {"s", "x"}, {"n", nullptr}, {"e", json::array()}};
  for (const char* key : {"o", "s", "n", "e", "missing"}) {
    EXPECT_TRUE(ArrayField(j, key).empty()) << key;
  }
  EXPECT_TRUE(ArrayField(json::array({1}), "o").empty());
}

}  // namespace
}  // namespace wache::webhook
