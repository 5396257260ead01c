#include "tradeplane/signing/secret_bytes.h"

#include <ostream>
#include <string>
#include <type_traits>

#include <catch2/catch.hpp>

#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/hex.h"

namespace tradeplane::signing {
namespace {

template <typename T>
concept Streamable = requires(std::ostream& os, const T& value) {
  os << value;
};
template <typename T>
concept Comparable = requires(const T& a, const T& b) {
  a == b;
};

TEST_CASE("secret bytes cannot be copied, printed or compared with ==", "[signing][secret]") {
  CHECK_FALSE(std::is_copy_constructible_v<SecretBytes>);
  CHECK_FALSE(std::is_copy_assignable_v<SecretBytes>);
  CHECK(std::is_nothrow_move_constructible_v<SecretBytes>);
  CHECK_FALSE(Streamable<SecretBytes>);
  CHECK_FALSE(Comparable<SecretBytes>);
}

TEST_CASE("secret bytes hold a copy in guarded memory and compare in constant time",
          "[signing][secret]") {
  absl::StatusOr<SecretBytes> secret = SecretBytes::Copy(std::string_view("hunter2"));
  REQUIRE(secret.ok());
  CHECK(secret->size() == 7);
  CHECK(secret->ConstantTimeEquals(AsBytes("hunter2")));
  CHECK_FALSE(secret->ConstantTimeEquals(AsBytes("hunter3")));
  CHECK_FALSE(secret->ConstantTimeEquals(AsBytes("hunter")));
}

TEST_CASE("moving secret bytes leaves the source empty", "[signing][secret]") {
  absl::StatusOr<SecretBytes> secret = SecretBytes::Copy(std::string_view("abc"));
  REQUIRE(secret.ok());
  SecretBytes moved = *std::move(secret);
  CHECK(moved.size() == 3);
  CHECK(secret->empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  CHECK(secret->data() == nullptr);
}

TEST_CASE("a clone is an independent copy", "[signing][secret]") {
  absl::StatusOr<SecretBytes> secret = SecretBytes::Copy(std::string_view("abc"));
  REQUIRE(secret.ok());
  absl::StatusOr<SecretBytes> clone = secret->Clone();
  REQUIRE(clone.ok());
  clone->data()[0] = 'x';
  CHECK(secret->ConstantTimeEquals(AsBytes("abc")));
  CHECK(clone->ConstantTimeEquals(AsBytes("xbc")));
}

TEST_CASE("an empty secret allocates nothing", "[signing][secret]") {
  absl::StatusOr<SecretBytes> secret = SecretBytes::Allocate(0);
  REQUIRE(secret.ok());
  CHECK(secret->empty());
  CHECK(secret->ConstantTimeEquals({}));
}

TEST_CASE("truncating a secret wipes and hides the tail", "[signing][secret]") {
  absl::StatusOr<SecretBytes> secret = SecretBytes::Copy(std::string_view("abcdef"));
  REQUIRE(secret.ok());
  secret->Truncate(2);
  CHECK(secret->size() == 2);
  CHECK(secret->ConstantTimeEquals(AsBytes("ab")));
}

TEST_CASE("hex round-trips and rejects bad text without quoting it", "[signing][hex]") {
  CHECK(HexEncode(std::string_view("\x01\xab\xff", 3)) == "01abff");
  absl::StatusOr<std::string> bytes = HexDecode("01ABff");
  REQUIRE(bytes.ok());
  CHECK(*bytes == std::string("\x01\xab\xff", 3));
  CHECK_FALSE(HexDecode("abc").ok());
  absl::StatusOr<SecretBytes> bad = HexDecodeSecret("00zz5ecret");
  REQUIRE_FALSE(bad.ok());
  std::string message(bad.status().message());
  CHECK(message.find("position 2") != std::string::npos);
  CHECK(message.find("5ecret") == std::string::npos);
}

TEST_CASE("base64 follows RFC 4648 and skips PEM line breaks", "[signing][base64]") {
  // RFC 4648 section 10 test vectors.
  CHECK(Base64Encode(AsBytes("")) == "");
  CHECK(Base64Encode(AsBytes("f")) == "Zg==");
  CHECK(Base64Encode(AsBytes("fo")) == "Zm8=");
  CHECK(Base64Encode(AsBytes("foobar")) == "Zm9vYmFy");
  absl::StatusOr<std::string> decoded = Base64Decode("Zm9v\r\nYmE=");
  REQUIRE(decoded.ok());
  CHECK(*decoded == "fooba");
  CHECK_FALSE(Base64Decode("Zm9vYmE").ok());  // padding missing
  CHECK_FALSE(Base64Decode("Zm9v!mE=").ok());
}

}  // namespace
}  // namespace tradeplane::signing
