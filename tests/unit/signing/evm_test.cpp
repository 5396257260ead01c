// Uint256, RLP, addresses and transactions against Ethereum's own examples.
#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/evm_address.h"
#include "tradeplane/signing/evm_transaction.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/rlp.h"
#include "tradeplane/signing/uint256.h"

namespace tradeplane::signing {
namespace {

using signer::v1::EvmTransaction;

std::string Unhex(std::string_view hex) {
  absl::StatusOr<std::string> bytes = HexDecode(hex);
  REQUIRE(bytes.ok());
  return *bytes;
}

std::string Hex(std::string_view bytes) { return HexEncode(bytes); }

TEST_CASE("uint256 parses decimal text exactly and refuses everything else", "[signing][uint256]") {
  absl::StatusOr<Uint256> max = Uint256::ParseDecimal(
      "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  REQUIRE(max.ok());
  CHECK(*max == Uint256::Max());
  CHECK(max->ToDecimal() ==
        "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  CHECK(Uint256::ParseDecimal(
            "115792089237316195423570985008687907853269984665640564039457584007913129639936")
            .status()
            .code() == absl::StatusCode::kOutOfRange);
  absl::StatusOr<Uint256> ether = Uint256::ParseDecimal("1000000000000000000");
  REQUIRE(ether.ok());
  CHECK(Hex(ether->ToMinimalBigEndian()) == "0de0b6b3a7640000");
  CHECK(ether->ToDecimal() == "1000000000000000000");
  absl::StatusOr<Uint256> zero = Uint256::ParseDecimal("0");
  REQUIRE(zero.ok());
  CHECK(zero->is_zero());
  CHECK(zero->ToMinimalBigEndian().empty());
  CHECK(zero->ToDecimal() == "0");
  for (std::string_view junk : {"", "-1", "+1", " 1", "1 ", "1.0", "1e18", "0x10", "01", "١"}) {
    INFO(junk);
    CHECK_FALSE(Uint256::ParseDecimal(junk).ok());
  }
  CHECK(Uint256::FromUint64(5) < Uint256::FromUint64(6));
  CHECK(*ether > Uint256::FromUint64(999'999'999'999'999'999ULL));
  CHECK(*ether < Uint256::FromUint64(1'000'000'000'000'000'001ULL));
  absl::StatusOr<Uint256> from_bytes = Uint256::FromBigEndian(Unhex("0de0b6b3a7640000"));
  REQUIRE(from_bytes.ok());
  CHECK(*from_bytes == *ether);
}

// The examples of the RLP specification (ethereum.org, "Recursive-length prefix").
TEST_CASE("RLP encodes the examples of the Ethereum RLP specification", "[signing][rlp]") {
  CHECK(Hex(RlpItem::String("dog").Encode()) == "83646f67");
  CHECK(Hex(RlpItem::List({RlpItem::String("cat"), RlpItem::String("dog")}).Encode()) ==
        "c88363617483646f67");
  CHECK(Hex(RlpItem::String("").Encode()) == "80");
  CHECK(Hex(RlpItem::List({}).Encode()) == "c0");
  CHECK(Hex(RlpItem::Uint(0).Encode()) == "80");
  CHECK(Hex(RlpItem::String(std::string(1, '\0')).Encode()) == "00");
  CHECK(Hex(RlpItem::String("\x0f").Encode()) == "0f");
  CHECK(Hex(RlpItem::Uint(15).Encode()) == "0f");
  CHECK(Hex(RlpItem::Uint(1024).Encode()) == "820400");
  // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ].
  RlpItem empty = RlpItem::List({});
  RlpItem one = RlpItem::List({RlpItem::List({})});
  RlpItem three = RlpItem::List({empty, one, RlpItem::List({RlpItem::List({}), one})});
  CHECK(Hex(three.Encode()) == "c7c0c1c0c3c0c1c0");
  CHECK(Hex(RlpItem::String("Lorem ipsum dolor sit amet, consectetur adipisicing elit").Encode()) ==
        "b8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164"
        "697069736963696e6720656c6974");
}

TEST_CASE("RLP uses the long forms from 56 bytes on", "[signing][rlp]") {
  std::string out;
  RlpAppendString(std::string(55, 'a'), &out);
  CHECK(static_cast<uint8_t>(out[0]) == 0xb7);
  out.clear();
  RlpAppendString(std::string(56, 'a'), &out);
  CHECK(Hex(out.substr(0, 2)) == "b838");
  out.clear();
  RlpAppendString(std::string(1024, 'a'), &out);
  CHECK(Hex(out.substr(0, 3)) == "b90400");
  CHECK(out.size() == 1027);
  out.clear();
  RlpAppendListHeader(56, &out);
  CHECK(Hex(out) == "f838");
  CHECK(Hex(RlpWrapList(std::string(3, 'x'))) == "c3787878");
}

const std::string kEip155Key = "0x" + [] {
  std::string hex;
  for (int i = 0; i < 32; ++i) hex += "46";
  return hex;
}();

TEST_CASE("an address is the tail of the key's Keccak-256, written with the EIP-55 checksum",
          "[signing][evm]") {
  // EIP-155's example key and the sender of its example transaction.
  absl::StatusOr<Secp256k1PrivateKey> key = Secp256k1PrivateKey::FromHex(kEip155Key);
  REQUIRE(key.ok());
  EvmAddress address = EvmAddress::FromPublicKey(key->public_key());
  CHECK(address.ToLowerHex() == "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");
  CHECK(address.ToChecksumHex() == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
}

TEST_CASE("EIP-55's examples round-trip, and a mistyped mixed-case address is refused",
          "[signing][evm]") {
  // EIP-55, "Test Cases".
  for (std::string_view text :
       {"0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
    INFO(text);
    absl::StatusOr<EvmAddress> address = EvmAddress::Parse(text);
    REQUIRE(address.ok());
    bool mixed = text != "0x52908400098527886E0F7030069857D2E4169EE7" &&
                 text != "0x8617E340B3D01FA5F11F306F4090FD50E238070D" &&
                 text != "0xde709f2102306220921060314715629080e2fb77" &&
                 text != "0x27b1fdb04752bbc536007a920d24acb045561c26";
    if (mixed) CHECK(address->ToChecksumHex() == text);
  }
  // One letter's case flipped.
  CHECK_FALSE(EvmAddress::Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").ok());
  CHECK_FALSE(EvmAddress::Parse("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").ok());
  CHECK_FALSE(EvmAddress::Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA").ok());
  CHECK_FALSE(EvmAddress::Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg").ok());
}

EvmTransaction Eip155Example() {
  EvmTransaction tx;
  tx.set_type(signer::v1::EVM_TX_TYPE_LEGACY);
  tx.set_chain_id(1);
  tx.set_nonce(9);
  tx.set_gas_price_wei("20000000000");
  tx.set_gas_limit(21000);
  tx.set_to("0x3535353535353535353535353535353535353535");
  tx.set_value_wei("1000000000000000000");
  return tx;
}

TEST_CASE("a legacy transaction reproduces EIP-155's example byte for byte", "[signing][evm]") {
  absl::StatusOr<EvmTransactionFields> fields = ParseEvmTransaction(Eip155Example(), 9);
  REQUIRE(fields.ok());
  CHECK(
      Hex(EvmSigningPayload(*fields)) ==
      "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
  absl::StatusOr<Secp256k1PrivateKey> key = Secp256k1PrivateKey::FromHex(kEip155Key);
  REQUIRE(key.ok());
  absl::StatusOr<SignedEvmTransaction> signed_tx = SignEvmTransaction(*fields, *key);
  REQUIRE(signed_tx.ok());
  CHECK(Hex(AsChars(signed_tx->signing_hash)) ==
        "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
  // v = 37 (chain 1, recovery id 0); r and s as the EIP gives them in decimal.
  CHECK(signed_tx->signature.recovery_id == 0);
  absl::StatusOr<Uint256> r = Uint256::FromBigEndian(AsChars(signed_tx->signature.r));
  absl::StatusOr<Uint256> s = Uint256::FromBigEndian(AsChars(signed_tx->signature.s));
  REQUIRE(r.ok());
  REQUIRE(s.ok());
  CHECK(r->ToDecimal() ==
        "18515461264373351373200002665853028612451056578545711640558177340181847433846");
  CHECK(s->ToDecimal() ==
        "46948507304638947509940763649030358759909902576025900602547168820602576006531");
  CHECK(Hex(signed_tx->raw) ==
        "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025"
        "a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb7"
        "03304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  CHECK(Hex(AsChars(signed_tx->hash)) == Hex(AsChars(Keccak256Hash(signed_tx->raw))));
  absl::StatusOr<EvmAddress> signer = RecoverEvmSigner(*signed_tx);
  REQUIRE(signer.ok());
  CHECK(signer->ToLowerHex() == "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");
}

// ethereumjs-monorepo, packages/tx/test/json/eip1559.json: signed type-2
// transactions (chain id 7822, empty data and access list), listed there
// wrapped as an RLP string (the b87x prefix), stripped here.
struct Eip1559Vector {
  uint64_t nonce;
  const char* value;
  uint64_t gas_limit;
  const char* max_priority_fee;
  const char* max_fee;
  const char* raw;
};

TEST_CASE("EIP-1559 transactions reproduce ethereumjs's published signed vectors",
          "[signing][evm]") {
  const Eip1559Vector vectors[] = {
      {819, "43203529", 35552, "75853", "121212",
       "02f870821e8e8203338301284d8301d97c828ae094000000000000000000000000000000000000aaaa8402933b"
       "c980c080a0d067f2167008c59219652f91cbf8788dbca5f771f6e91e2b7657e85b78b472e0a01d305af9fe81fd"
       "ba43f0dfcd400ed24dcace0a7e30d4e85701dcaaf484cd079e"},
      {353, "61901619", 32593, "38850", "136295",
       "02f86f821e8e8201618297c283021467827f5194000000000000000000000000000000000000aaaa8403b08b33"
       "80c001a004205678f13fc1d7b10feea6513dfa76e24418b6e08097d95c6f93a3b64e536da01d45ad61bfece438"
       "62de2cce7d2575a8c1d08c26c87f3cb5f26d7b0be54a91b2"},
      {709, "6478043", 28335, "86252", "94636",
       "02f86f821e8e8202c5830150ec830171ac826eaf94000000000000000000000000000000000000aaaa8362d8db"
       "80c001a09880d133cd636f8c8dce32e2c43494b9f2dc000eee8dc61931e09f866ed04b46a00e44d5c503c7f08b"
       "36c8b062c32a963f3dd20a71e95e3d903bfbe7f4da47cd47"},
  };
  absl::StatusOr<Secp256k1PrivateKey> key = Secp256k1PrivateKey::FromHex(
      "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63");
  REQUIRE(key.ok());
  EvmAddress key_address = EvmAddress::FromPublicKey(key->public_key());
  for (const Eip1559Vector& v : vectors) {
    INFO("nonce " << v.nonce);
    EvmTransaction tx;
    tx.set_type(signer::v1::EVM_TX_TYPE_EIP1559);
    tx.set_chain_id(7822);
    tx.set_max_priority_fee_per_gas_wei(v.max_priority_fee);
    tx.set_max_fee_per_gas_wei(v.max_fee);
    tx.set_gas_limit(v.gas_limit);
    tx.set_to("0x000000000000000000000000000000000000aaaa");
    tx.set_value_wei(v.value);
    absl::StatusOr<EvmTransactionFields> fields = ParseEvmTransaction(tx, v.nonce);
    REQUIRE(fields.ok());
    absl::StatusOr<SignedEvmTransaction> signed_tx = SignEvmTransaction(*fields, *key);
    REQUIRE(signed_tx.ok());
    CHECK(Hex(signed_tx->raw) == v.raw);
    CHECK(signed_tx->signing_hash == Keccak256Hash(EvmSigningPayload(*fields)));
    CHECK(static_cast<uint8_t>(EvmSigningPayload(*fields)[0]) == 0x02);
    absl::StatusOr<EvmAddress> signer = RecoverEvmSigner(*signed_tx);
    REQUIRE(signer.ok());
    CHECK(*signer == key_address);
  }
}

TEST_CASE("an EIP-1559 transaction with data recovers to the signing key's address",
          "[signing][evm]") {
  absl::StatusOr<Secp256k1PrivateKey> key = Secp256k1PrivateKey::FromHex(kEip155Key);
  REQUIRE(key.ok());
  EvmTransaction tx;
  tx.set_type(signer::v1::EVM_TX_TYPE_EIP1559);
  tx.set_chain_id(8453);
  tx.set_max_priority_fee_per_gas_wei("1000000");
  tx.set_max_fee_per_gas_wei("30000000000");
  tx.set_gas_limit(65000);
  tx.set_to("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
  tx.set_value_wei("0");
  tx.set_data(
      Unhex("a9059cbb0000000000000000000000003535353535353535353535353535353535353535"
            "00000000000000000000000000000000000000000000000000000000000f4240"));
  absl::StatusOr<EvmTransactionFields> fields = ParseEvmTransaction(tx, 0);
  REQUIRE(fields.ok());
  absl::StatusOr<SignedEvmTransaction> first = SignEvmTransaction(*fields, *key);
  absl::StatusOr<SignedEvmTransaction> second = SignEvmTransaction(*fields, *key);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->raw == second->raw);  // RFC 6979: deterministic
  absl::StatusOr<EvmAddress> signer = RecoverEvmSigner(*first);
  REQUIRE(signer.ok());
  CHECK(signer->ToLowerHex() == "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");
  // A different nonce must give a different signature over a different hash.
  absl::StatusOr<EvmTransactionFields> other = ParseEvmTransaction(tx, 1);
  REQUIRE(other.ok());
  absl::StatusOr<SignedEvmTransaction> third = SignEvmTransaction(*other, *key);
  REQUIRE(third.ok());
  CHECK(third->signing_hash != first->signing_hash);
}

TEST_CASE("malformed EVM transactions are refused with the field named", "[signing][evm]") {
  struct Case {
    const char* expect;
    void (*mutate)(EvmTransaction*);
  };
  const Case cases[] = {
      {"type", [](EvmTransaction* tx) { tx->set_type(signer::v1::EVM_TX_TYPE_UNSPECIFIED); }},
      {"chain_id", [](EvmTransaction* tx) { tx->set_chain_id(0); }},
      {"gas_price_wei", [](EvmTransaction* tx) { tx->set_gas_price_wei(""); }},
      {"gas_price_wei", [](EvmTransaction* tx) { tx->set_gas_price_wei("-5"); }},
      {"max_fee_per_gas_wei", [](EvmTransaction* tx) { tx->set_max_fee_per_gas_wei("1"); }},
      {"gas_limit", [](EvmTransaction* tx) { tx->set_gas_limit(20999); }},
      {"to", [](EvmTransaction* tx) { tx->set_to(""); }},
      {"to", [](EvmTransaction* tx) { tx->set_to("0x3535"); }},
      {"value_wei", [](EvmTransaction* tx) { tx->set_value_wei("1e18"); }},
      {"value_wei", [](EvmTransaction* tx) { tx->set_value_wei(""); }},
      {"data", [](EvmTransaction* tx) { tx->set_data(std::string(kMaxEvmDataBytes + 1, 'x')); }},
  };
  for (const Case& c : cases) {
    EvmTransaction tx = Eip155Example();
    c.mutate(&tx);
    absl::StatusOr<EvmTransactionFields> fields = ParseEvmTransaction(tx, 9);
    INFO("expecting an error about " << c.expect);
    REQUIRE_FALSE(fields.ok());
    CHECK(std::string(fields.status().message()).find(c.expect) != std::string::npos);
  }
  EvmTransaction tip_above_cap;
  tip_above_cap.set_type(signer::v1::EVM_TX_TYPE_EIP1559);
  tip_above_cap.set_chain_id(1);
  tip_above_cap.set_max_priority_fee_per_gas_wei("3");
  tip_above_cap.set_max_fee_per_gas_wei("2");
  tip_above_cap.set_gas_limit(21000);
  tip_above_cap.set_to("0x3535353535353535353535353535353535353535");
  tip_above_cap.set_value_wei("0");
  CHECK_FALSE(ParseEvmTransaction(tip_above_cap, 0).ok());
}

TEST_CASE("secp256k1 private keys out of range or misspelt are refused without quoting them",
          "[signing][evm]") {
  CHECK_FALSE(Secp256k1PrivateKey::FromHex(std::string(64, '0')).ok());
  // The group order n itself.
  CHECK_FALSE(Secp256k1PrivateKey::FromHex(
                  "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
                  .ok());
  absl::StatusOr<Secp256k1PrivateKey> bad = Secp256k1PrivateKey::FromHex(
      "46464646464646464646464646464646464646464646464646464646464646zz");
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).find("4646") == std::string::npos);
  CHECK_FALSE(Secp256k1PrivateKey::FromHex("4646").ok());
}

}  // namespace
}  // namespace tradeplane::signing
