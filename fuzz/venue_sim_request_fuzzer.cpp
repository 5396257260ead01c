// Fuzzes how the venue simulator reads a REST request before any endpoint
// runs (services/venue-sim rest_params.h, api_credential.h): the query string
// and the form body decoded together, the typed parameter readers, and the
// signature split off the raw text and checked (HMAC-SHA256 and Ed25519).
// The HTTP framing itself is Boost.Beast's and is not fuzzed here.
//
// Input: the first line is the raw query string, the rest the raw body.
//
// Properties:
//   - a request carrying no signature, signed with the HMAC key over
//     Binance's totalParams and sent with `signature=<hex>` appended, splits
//     back to the same payload and verifies (in either hex case);
//   - the same signature does not verify against a different payload.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/hmac_sha256.h"

#include "api_credential.h"
#include "rest_params.h"

namespace {

namespace vs = tradeplane::venue_sim;

constexpr std::string_view kHmacSecret =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
// A throwaway Ed25519 public key (its private half was discarded).
constexpr std::string_view kEd25519PublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAlalPExq0bIw7Oi0y918xP/klOvyUFIKFDgYQzIoCOPM=\n"
    "-----END PUBLIC KEY-----\n";

[[noreturn]] void Fail(const char* what) {
  __builtin_printf("venue_sim_request_fuzzer: property violated: %s\n", what);
  std::abort();
}

const vs::ApiCredential& Credential(std::string_view contents) {
  absl::StatusOr<vs::ApiCredential> c = vs::ApiCredential::Parse(contents, "fuzz key");
  if (!c.ok()) Fail("the fuzzer's own key does not parse");
  static std::optional<vs::ApiCredential> hmac;
  static std::optional<vs::ApiCredential> ed25519;
  auto& slot = c->kind() == vs::ApiCredential::Kind::kHmacSha256 ? hmac : ed25519;
  if (!slot) slot.emplace(std::move(*c));
  return *slot;
}

// What an endpoint does with the parameters: read the common ones by type.
void ReadLikeAnEndpoint(vs::RestParams& params) {
  (void)params.Required("symbol");
  (void)params.Get("side");
  (void)params.Get("type");
  (void)params.Decimal("quantity");
  (void)params.Decimal("price");
  (void)params.Decimal("quoteOrderQty");
  (void)params.Int("timestamp");
  (void)params.Int("recvWindow");
  (void)params.Int("orderId");
  (void)params.Has("newClientOrderId");
  (void)params.CheckAllRead();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view query = input.substr(0, newline);
  std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  vs::OrError<vs::RestParams> params = vs::RestParams::Parse(query, body);
  if (params.ok()) {
    if (params->size() > vs::RestParams::kMaxParams) Fail("more parameters than the limit");
    ReadLikeAnEndpoint(*params);
  } else if (params.error.ToJson().empty()) {
    Fail("an error without a body");
  }

  const vs::ApiCredential& hmac = Credential(kHmacSecret);
  const vs::ApiCredential& ed25519 = Credential(kEd25519PublicPem);
  vs::SignedText sent = vs::SplitSignature(query, body);
  (void)hmac.Verify(sent.payload, sent.signature);
  (void)ed25519.Verify(sent.payload, sent.signature);

  // The input itself as an API key file.
  (void)vs::ApiCredential::Parse(input, "fuzz input");

  if (sent.signatures != 0) return 0;
  absl::StatusOr<tradeplane::signing::HmacSha256Key> key =
      tradeplane::signing::HmacSha256Key::Create(std::span<const uint8_t>(
          reinterpret_cast<const uint8_t*>(kHmacSecret.data()), kHmacSecret.size()));
  if (!key.ok()) Fail("HMAC key");
  std::string hex = tradeplane::signing::HexEncode(key->Sign(sent.payload));
  std::string signed_query(query);
  if (!signed_query.empty()) signed_query += '&';
  signed_query += "signature=";
  signed_query += hex;
  vs::SignedText received = vs::SplitSignature(signed_query, body);
  if (received.signatures != 1) Fail("appended signature not found exactly once");
  if (received.payload != sent.payload) Fail("payload changed by adding a signature");
  if (!hmac.Verify(received.payload, received.signature)) Fail("a correct signature is refused");
  std::string upper = hex;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!hmac.Verify(received.payload, upper)) Fail("an upper-case signature is refused");
  if (hmac.Verify(received.payload + "x", received.signature)) {
    Fail("a signature verifies another payload");
  }
  return 0;
}
