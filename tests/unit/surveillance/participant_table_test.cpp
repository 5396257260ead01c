#include "tradeplane/surveillance/participant_table.h"

#include <catch2/catch.hpp>

namespace tradeplane::surveillance {
namespace {

TEST_CASE("null, empty and unknown names are the unknown participant",
          "[surveillance][participants]") {
  ParticipantTable table;
  CHECK(table.Intern("") == kUnknownParticipant);
  CHECK(table.Intern("null") == kUnknownParticipant);
  CHECK(table.Intern("NULL") == kUnknownParticipant);
  CHECK(table.Intern("Unknown") == kUnknownParticipant);
  CHECK(table.Name(kUnknownParticipant) == "unknown");
  CHECK(table.size() == 1);
}

TEST_CASE("names intern to stable dense ids", "[surveillance][participants]") {
  ParticipantTable table;
  ParticipantId ubss = table.Intern("UBSS");
  CHECK(ubss == 1);
  CHECK(table.Intern("ACC_A") == 2);
  CHECK(table.Intern("UBSS") == ubss);
  CHECK(table.Find("UBSS") == ubss);
  CHECK_FALSE(table.Find("NOPE").has_value());
  CHECK(table.Name(ubss) == "UBSS");
  CHECK(table.Name(99) == "unknown");
}

TEST_CASE("each participant is its own owner until told otherwise, one level deep",
          "[surveillance][participants]") {
  ParticipantTable table;
  ParticipantId a = table.Intern("ACC_A");
  CHECK(table.OwnerOf(a) == a);
  REQUIRE(table.SetBeneficialOwner("ACC_A", "FIRM").ok());
  CHECK(table.OwnerOf(a) == *table.Find("FIRM"));
  REQUIRE(table.SetBeneficialOwner("ACC_B", "FIRM").ok());
  CHECK(table.OwnerOf(*table.Find("ACC_B")) == *table.Find("FIRM"));

  absl::Status chain = table.SetBeneficialOwner("X", "ACC_A");
  CHECK_FALSE(chain.ok());
  CHECK(std::string(chain.message()).find("'ACC_A' itself belongs to 'FIRM'") != std::string::npos);
  absl::Status owner_of_others = table.SetBeneficialOwner("FIRM", "HOLDING");
  CHECK_FALSE(owner_of_others.ok());
  CHECK_FALSE(table.SetBeneficialOwner("null", "FIRM").ok());
}

}  // namespace
}  // namespace tradeplane::surveillance
