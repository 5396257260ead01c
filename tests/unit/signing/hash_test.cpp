// Known-answer tests for the hash functions, from their published vectors.
#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/hmac_sha256.h"
#include "tradeplane/signing/keccak256.h"
#include "tradeplane/signing/sha256.h"

namespace tradeplane::signing {
namespace {

std::string Unhex(std::string_view hex) {
  absl::StatusOr<std::string> bytes = HexDecode(hex);
  REQUIRE(bytes.ok());
  return *bytes;
}

std::string HmacHex(std::string_view key, std::string_view message) {
  return HexEncode(AsChars(HmacSha256(AsBytes(key), message)));
}

TEST_CASE("SHA-256 matches FIPS 180-4 examples", "[signing][hash]") {
  CHECK(HexEncode(AsChars(Sha256(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(HexEncode(AsChars(Sha256("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test cases 1 to 4, 6 and 7", "[signing][hmac]") {
  // Case 5 is a truncated output and does not apply.
  CHECK(HmacHex(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(HmacHex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(HmacHex(std::string(20, '\xaa'), std::string(50, '\xdd')) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  CHECK(HmacHex(Unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                std::string(50, '\xcd')) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  CHECK(
      HmacHex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First") ==
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(HmacHex(std::string(131, '\xaa'),
                "This is a test using a larger than block-size key and a larger than block-size "
                "data. The key needs to be hashed before being used by the HMAC algorithm.") ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("a prepared HMAC key gives the one-shot result, signature after signature",
          "[signing][hmac]") {
  absl::StatusOr<HmacSha256Key> key = HmacSha256Key::Create(AsBytes("Jefe"));
  REQUIRE(key.ok());
  for (int i = 0; i < 3; ++i) {
    CHECK(HexEncode(AsChars(key->Sign("what do ya want for nothing?"))) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  CHECK_FALSE(HmacSha256Key::Create({}).ok());
}

TEST_CASE("HMAC-SHA256 reproduces the signature in Binance's API documentation",
          "[signing][hmac][binance]") {
  // Binance spot API docs, "SIGNED Endpoint Examples for POST /api/v3/order",
  // HMAC keys, example 1 (all parameters in the query string).
  // Named, so a failure prints the name rather than the key (a published one,
  // but the habit matters).
  const std::string binance_doc_secret =
      "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  CHECK(HmacHex(binance_doc_secret,
                "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&"
                "recvWindow=5000&timestamp=1499827319559") ==
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

std::string KeccakHex(std::string_view bytes) { return HexEncode(AsChars(Keccak256Hash(bytes))); }

TEST_CASE("Keccak-256 matches the published vectors, not SHA3-256", "[signing][keccak]") {
  CHECK(KeccakHex("") == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  CHECK(KeccakHex("abc") == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  CHECK(KeccakHex("The quick brown fox jumps over the lazy dog") ==
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
  // SHA3-256(""), what the FIPS 202 padding byte 0x06 would give.
  CHECK(KeccakHex("") != "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}

// The Keccak team's ShortMsgKAT_256 (SHA-3 competition, round 3, Keccak[r=1088,
// c=512]) at the byte lengths around the 136-byte rate, and one two-block message.
TEST_CASE("Keccak-256 matches the Keccak team's KAT at lengths 135, 136, 137 and 168",
          "[signing][keccak]") {
  struct Vector {
    int bytes;
    const char* message;
    const char* digest;
  };
  const Vector vectors[] = {
      {135,
       "2f3fb9e6321405869ff0e6271369357ee08c9c27837fe300adf3766a61979591d64e7809627e8f026e76298"
       "2df5f00bfeb9ce76f1ccb70c9bee6331f7dc8b15417295d7aa7ec7c1662a69842059901f136e96052b4d01b"
       "72b64f92331744872f6de4a915d0262b33ccc375d25d77c3936023e514f30187a9501adc685e6497cc4841e"
       "119670d4d",
       "0484f02cc16415e7e9f28f95b6bb77209e1b25ec35015de84facbc8f9605b39e"},
      {136,
       "33d0c3052e3ac8c19beca6b0dfa73888f753655fb2c9f77e1238602c9f6d7ad33e3dd96c78a22e148ed4c46"
       "d7cfdf674505bd40325cb813804e264a450de778f1c50fc94f32aa881fe6def7b6ae6efbb42c3be678f40a0"
       "9322053773e3af020000fe94f3283c7527aa64a2144b92cf8d568df4e6cd957af09ab1637e61667e6164125"
       "58d4fcab4f9",
       "b30ad6fc320c0d70309dc39953895cb7cf3fbedec7d86a5f7aa9f2bb760f6dba"},
      {137,
       "2f570e7aeadd07406bfc263992a0292c528daab4f32816573b6be58a36998465f192e0db70e81cdbe54314"
       "77e43ea437cb4eebbe760116b26dfb3ca395c1098753e962c3d27f9fb8c2b32fa6f1d3debd22c97b99cb92"
       "4b388d87db2348e5aa9ccf0d60a18cff594eb389f5a55dd362809dde19687064a0feec7c213561cbd130d8"
       "32d264312cb3e4b6",
       "6cf9e0e9008f6b5b2d28fb38c47a0212e7b28f6a7f44815f10c53141c2f1c84d"},
      {168,
       "75f8d7b5d6610d38826bca037ff2ae35b9c5fb9df569f8182850c930a3c6b019bf88cf95e9ddce6c48986f"
       "c88b1dfd44e3f9e2d863dbf18b2bbabbcf816be840f3b7d5dd94a449dd3cb9a5c7d6a30cba9cee92ffca83"
       "8af53e46c4bfb1adffa565d583fa79ccd7b6857c7e5c1f8a16bc79a9bb432d46396b8dfe2a3eac2ae411ff"
       "670b7834e32fb960ad167f382c3cb2d6f7f6033e2f6ecb2e980adac3efecc256f83b8bdb6a453b",
       "8e60c5ab5186a36ec8856a7a9574e62c40c062ccfb56e199c0067e22ea6c5029"},
  };
  for (const Vector& v : vectors) {
    std::string message = Unhex(v.message);
    REQUIRE(static_cast<int>(message.size()) == v.bytes);
    INFO("message of " << v.bytes << " bytes");
    CHECK(KeccakHex(message) == v.digest);
    // Fed in uneven pieces, the sponge must give the same digest.
    for (size_t piece : {1u, 7u, 8u, 13u, 136u}) {
      Keccak256 hasher;
      for (size_t at = 0; at < message.size(); at += piece) {
        hasher.Update(std::string_view(message).substr(at, piece));
      }
      CHECK(HexEncode(AsChars(hasher.Finish())) == v.digest);
    }
  }
}

}  // namespace
}  // namespace tradeplane::signing
