// crypto helpers: HMACs and SHA-256 against the published vectors (RFC 4231, RFC 2202,
// FIPS 180-2), hex and base64 against RFC 4648 and the malformed inputs a strict decoder
// must refuse, constant-time comparison, random hex and RFC 3986 percent-encoding.
#include "webhook/crypto.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace wache::webhook {
namespace {

using namespace std::string_literals;

std::string Repeat(char c, size_t n) { return std::string(n, c); }

// 0x01, 0x02, ..., 0x19: the key of RFC 2202 and RFC 4231 test case 4.
std::string CountingKey() {
  std::string key;
  for (int i = 1; i <= 25; ++i) key.push_back(static_cast<char>(i));
  return key;
}

std::string AllBytes() {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  return all;
}

// --- HMAC-SHA256, RFC 4231 section 4 (case 5 is a truncated MAC, not our API) ---

TEST(CryptoTest, HmacSha256MatchesRfc4231Case1) {
  EXPECT_EQ(HexEncode(HmacSha256(Repeat('\x0b', 20), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(CryptoTest, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// Each thread keeps its own keyless HMAC context and copies it per call: alternating keys,
// on several threads at once, each call gets its own key's MAC.
TEST(CryptoTest, HmacSha256KeepsNoKeyBetweenCallsOnAnyThread) {
  const std::string case1 = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  const std::string case2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (HexEncode(HmacSha256(Repeat('\x0b', 20), "Hi There")) != case1) ++wrong;
        if (HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")) != case2) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(CryptoTest, HmacSha256MatchesRfc4231Case3) {
  EXPECT_EQ(HexEncode(HmacSha256(Repeat('\xaa', 20), Repeat('\xdd', 50))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

TEST(CryptoTest, HmacSha256MatchesRfc4231Case4) {
  EXPECT_EQ(HexEncode(HmacSha256(CountingKey(), Repeat('\xcd', 50))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(CryptoTest, HmacSha256MatchesRfc4231Case6WithKeyLongerThanABlock) {
  EXPECT_EQ(HexEncode(HmacSha256(Repeat('\xaa', 131),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(CryptoTest, HmacSha256MatchesRfc4231Case7WithKeyAndDataLongerThanABlock) {
  EXPECT_EQ(HexEncode(HmacSha256(
                Repeat('\xaa', 131),
                "This is a test using a larger than block-size key and a larger than "
                "block-size data. The key needs to be hashed before being used by the HMAC "
                "algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(CryptoTest, HmacSha256ReturnsThirtyTwoRawBytes) {
  EXPECT_EQ(HmacSha256("key", "data").size(), 32u);
}

TEST(CryptoTest, HmacSha256WithEmptyKeyAndEmptyDataIsWellDefined) {
  EXPECT_EQ(HexEncode(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(CryptoTest, HmacSha256KeepsBytesAfterAnEmbeddedNul) {
  EXPECT_NE(HmacSha256("k\0a"s, "data"), HmacSha256("k\0b"s, "data"));
  EXPECT_NE(HmacSha256("key", "d\0a"s), HmacSha256("key", "d\0b"s));
}

// --- HMAC-SHA1, RFC 2202 section 3 (case 5 is a truncated MAC, not our API) ---

TEST(CryptoTest, HmacSha1MatchesRfc2202Case1) {
  EXPECT_EQ(HexEncode(HmacSha1(Repeat('\x0b', 20), "Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00");
}

TEST(CryptoTest, HmacSha1MatchesRfc2202Case2) {
  EXPECT_EQ(HexEncode(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(CryptoTest, HmacSha1MatchesRfc2202Case3) {
  EXPECT_EQ(HexEncode(HmacSha1(Repeat('\xaa', 20), Repeat('\xdd', 50))),
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
}

TEST(CryptoTest, HmacSha1MatchesRfc2202Case4) {
  EXPECT_EQ(HexEncode(HmacSha1(CountingKey(), Repeat('\xcd', 50))),
            "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
}

TEST(CryptoTest, HmacSha1MatchesRfc2202Case6WithKeyLongerThanABlock) {
  EXPECT_EQ(HexEncode(HmacSha1(Repeat('\xaa', 80),
                               "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(CryptoTest, HmacSha1MatchesRfc2202Case7WithKeyAndDataLongerThanABlock) {
  EXPECT_EQ(HexEncode(HmacSha1(
                Repeat('\xaa', 80),
                "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data")),
            "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

TEST(CryptoTest, HmacSha1ReturnsTwentyRawBytes) { EXPECT_EQ(HmacSha1("key", "data").size(), 20u); }

// --- SHA-256, FIPS 180-2 appendix B ---

TEST(CryptoTest, Sha256OfAbcMatchesFips180Example) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, Sha256OfTwoBlockMessageMatchesFips180Example) {
  EXPECT_EQ(HexEncode(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(CryptoTest, Sha256OfEmptyInputIsTheWellKnownEmptyDigest) {
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// --- hex ---

TEST(CryptoTest, HexEncodeWritesLowerCaseTwoCharactersPerByte) {
  EXPECT_EQ(HexEncode("\x00\x0f\xa0\xff"s), "000fa0ff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(CryptoTest, HexDecodeMatchesRfc4648Base16VectorInUpperCase) {
  EXPECT_EQ(HexDecode("666F6F626172"), "foobar");
}

TEST(CryptoTest, HexDecodeAcceptsLowerAndMixedCase) {
  EXPECT_EQ(HexDecode("666f6f626172"), "foobar");
  EXPECT_EQ(HexDecode("aBcD"), "\xab\xcd"s);
}

TEST(CryptoTest, HexDecodeOfEmptyInputIsEmptyNotAnError) {
  ASSERT_TRUE(HexDecode("").has_value());
  EXPECT_EQ(*HexDecode(""), "");
}

TEST(CryptoTest, HexRoundTripsEveryByteValue) {
  EXPECT_EQ(HexDecode(HexEncode(AllBytes())), AllBytes());
}

TEST(CryptoTest, HexDecodeRejectsOddLength) {
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("a"), std::nullopt);
}

TEST(CryptoTest, HexDecodeRejectsNonHexCharacters) {
  EXPECT_EQ(HexDecode("zz"), std::nullopt);
  EXPECT_EQ(HexDecode("1g"), std::nullopt);
  EXPECT_EQ(HexDecode("0x12"), std::nullopt);
  EXPECT_EQ(HexDecode(" 12 "), std::nullopt);
  EXPECT_EQ(HexDecode("12\n3"), std::nullopt);
  EXPECT_EQ(HexDecode("\0\0"s), std::nullopt);
}

// --- base64, RFC 4648 section 10 ---

TEST(CryptoTest, Base64EncodeMatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(CryptoTest, Base64DecodeMatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode("Zm8="), "fo");
  EXPECT_EQ(Base64Decode("Zm9v"), "foo");
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(Base64Decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(Base64Decode("Zm9vYmFy"), "foobar");
}

TEST(CryptoTest, Base64UsesPlusAndSlashForTheLastTwoDigits) {
  EXPECT_EQ(Base64Encode("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(Base64Decode("+/+/"), "\xfb\xff\xbf");
}

TEST(CryptoTest, Base64RoundTripsEveryByteValueAtEveryPaddingLength) {
  std::string all = AllBytes();
  for (size_t len : {all.size(), all.size() - 1, all.size() - 2}) {
    std::string bytes = all.substr(0, len);
    EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes) << "length " << len;
  }
}

TEST(CryptoTest, Base64DecodeRejectsLengthNotAMultipleOfFour) {
  EXPECT_EQ(Base64Decode("Z"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zg"), std::nullopt);  // unpadded
  EXPECT_EQ(Base64Decode("Zg="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9vY"), std::nullopt);
}

TEST(CryptoTest, Base64DecodeRejectsCharactersOutsideTheStandardAlphabet) {
  EXPECT_EQ(Base64Decode("Zm9-"), std::nullopt);  // URL-safe alphabet
  EXPECT_EQ(Base64Decode("Zm9_"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9!"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9\xc3"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9\0"s), std::nullopt);
}

TEST(CryptoTest, Base64DecodeRejectsEmbeddedWhitespace) {
  EXPECT_EQ(Base64Decode("Zm9v\r\nYm"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9v YmF"), std::nullopt);
  EXPECT_EQ(Base64Decode(" Zm9vYmF"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9\t"), std::nullopt);
}

TEST(CryptoTest, Base64DecodeRejectsPaddingAnywhereButTheEnd) {
  EXPECT_EQ(Base64Decode("===="), std::nullopt);
  EXPECT_EQ(Base64Decode("Z==="), std::nullopt);
  EXPECT_EQ(Base64Decode("=Zm9"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm=v"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zg==Zm9v"), std::nullopt);  // two encodings glued together
}

TEST(CryptoTest, Base64DecodeRejectsNonZeroBitsUnderThePadding) {
  // "Zh==" and "Zm9=" would decode to "f" and "fo" with a lax decoder; only "Zg==" and
  // "Zm8=" are canonical.
  EXPECT_EQ(Base64Decode("Zh=="), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9="), std::nullopt);
}

// --- constant-time comparison ---

TEST(CryptoTest, ConstantTimeEqualsIsTrueForEqualContent) {
  EXPECT_TRUE(ConstantTimeEquals("signature", std::string("signature")));
  EXPECT_TRUE(ConstantTimeEquals("a\0b"s, "a\0b"s));
}

TEST(CryptoTest, ConstantTimeEqualsIsTrueForTwoEmptyStrings) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals(std::string_view(), ""));
}

TEST(CryptoTest, ConstantTimeEqualsIsFalseWhenAnyByteDiffers) {
  EXPECT_FALSE(ConstantTimeEquals("signature", "Signature"));
  EXPECT_FALSE(ConstantTimeEquals("signature", "signaturE"));
  EXPECT_FALSE(ConstantTimeEquals("a\0b"s, "a\0c"s));
}

TEST(CryptoTest, ConstantTimeEqualsIsFalseForDifferentLengths) {
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abcd", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abc\0"s));  // a prefix is not a match
}

// --- random hex ---

TEST(CryptoTest, RandomHexGivesTwoLowerCaseHexCharactersPerByte) {
  std::string nonce = RandomHex(16);
  EXPECT_EQ(nonce.size(), 32u);
  EXPECT_EQ(nonce.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(RandomHex(0), "");
}

TEST(CryptoTest, RandomHexDiffersBetweenCalls) { EXPECT_NE(RandomHex(16), RandomHex(16)); }

// --- percent-encoding, RFC 3986 section 2 as RFC 5849 section 3.6 uses it ---

TEST(CryptoTest, PercentEncodeKeepsUnreservedCharacters) {
  std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  EXPECT_EQ(PercentEncode(unreserved), unreserved);
}

TEST(CryptoTest, PercentEncodeEncodesReservedCharactersWithUpperCaseHex) {
  EXPECT_EQ(PercentEncode(":/?#[]@!$&'()*+,;="),
            "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D");
  EXPECT_EQ(PercentEncode("%"), "%25");
  EXPECT_EQ(PercentEncode("\"<>\\^`{|}"), "%22%3C%3E%5C%5E%60%7B%7C%7D");
}

TEST(CryptoTest, PercentEncodeWritesSpaceAsPercent20NotPlus) {
  EXPECT_EQ(PercentEncode("Hello Ladies + Gentlemen"), "Hello%20Ladies%20%2B%20Gentlemen");
}

TEST(CryptoTest, PercentEncodeEncodesUtf8ByteByByte) {
  EXPECT_EQ(PercentEncode("Straße"), "Stra%C3%9Fe");
  EXPECT_EQ(PercentEncode("€"), "%E2%82%AC");
  EXPECT_EQ(PercentEncode("☃"), "%E2%98%83");
  EXPECT_EQ(PercentEncode("🚓"), "%F0%9F%9A%93");
}

TEST(CryptoTest, PercentEncodeEncodesControlBytesIncludingNul) {
  EXPECT_EQ(PercentEncode("a\0b\n\x7f"s), "a%00b%0A%7F");
}

}  // namespace
}  // namespace wache::webhook
