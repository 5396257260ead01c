#include "binance_error.h"

#include "tradeplane/core/str_cat.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace tradeplane::venue_sim {

std::string BinanceError::ToJson() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("code");
  w.Int(code);
  w.Key("msg");
  w.String(msg.data(), static_cast<rapidjson::SizeType>(msg.size()));
  w.EndObject();
  std::string json(buffer.GetString(), buffer.GetSize());
  if (!extra_json.empty()) {
    json.pop_back();  // the closing brace
    json += ',';
    json += extra_json;
    json += '}';
  }
  return json;
}

namespace binance_errors {
namespace {

BinanceError E(int status, int code, std::string msg) {
  return BinanceError{status, code, std::move(msg), {}};
}

}  // namespace

BinanceError Unknown(std::string msg) { return E(500, -1000, std::move(msg)); }
BinanceError Disconnected() {
  return E(503, -1001, "Internal error; unable to process your request. Please try again.");
}
BinanceError TooManyRequests(int limit) {
  return E(429, -1003,
           StrCat("Too much request weight used; current limit is ", limit,
                  " request weight per 1 MINUTE. Please use WebSocket Streams for live updates to "
                  "avoid polling the API."));
}
BinanceError BackendTimeout() {
  return E(503, -1007,
           "Timeout waiting for response from backend server. Send status unknown; execution "
           "status unknown.");
}
BinanceError UnknownEndpoint(std::string_view method, std::string_view path) {
  return E(404, -1000, StrCat("Unknown endpoint: ", method, " ", path, "."));
}
BinanceError FilterFailure(std::string_view filter) {
  return E(400, -1013, StrCat("Filter failure: ", filter));
}
BinanceError UnsupportedCombination(std::string msg) { return E(400, -1014, std::move(msg)); }
BinanceError TimestampAhead() {
  return E(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
}
BinanceError TimestampOutsideRecvWindow() {
  return E(400, -1021, "Timestamp for this request is outside of the recvWindow.");
}
BinanceError BadSignature() { return E(400, -1022, "Signature for this request is not valid."); }
BinanceError IllegalChars(std::string_view param, std::string_view legal) {
  return E(
      400, -1100,
      StrCat("Illegal characters found in parameter '", param, "'; legal range is '", legal, "'."));
}
BinanceError IllegalCharsAnywhere() {
  return E(400, -1100, "Illegal characters found in a parameter.");
}
BinanceError TooManyParameters() {
  return E(400, -1101, "Too many parameters sent for this endpoint.");
}
BinanceError DuplicateParameter(std::string_view param) {
  return E(400, -1101, StrCat("Duplicate values for parameter '", param, "'."));
}
BinanceError MandatoryMissing(std::string_view param) {
  return E(400, -1102,
           StrCat("Mandatory parameter '", param, "' was not sent, was empty/null, or malformed."));
}
BinanceError UnreadParameters(int read, int sent) {
  return E(400, -1104,
           StrCat("Not all sent parameters were read; read '", read,
                  "' parameter(s) but was sent '", sent, "'."));
}
BinanceError ParamEmpty(std::string_view param) {
  return E(400, -1105, StrCat("Parameter '", param, "' was empty."));
}
BinanceError ParamNotRequired(std::string_view param) {
  return E(400, -1106, StrCat("Parameter '", param, "' sent when not required."));
}
BinanceError BadPrecision() {
  return E(400, -1111, "Precision is over the maximum defined for this asset.");
}
BinanceError InvalidTimeInForce() { return E(400, -1115, "Invalid timeInForce."); }
BinanceError InvalidOrderType() { return E(400, -1116, "Invalid orderType."); }
BinanceError InvalidSide() { return E(400, -1117, "Invalid side."); }
BinanceError InvalidSymbol() { return E(400, -1121, "Invalid symbol."); }
BinanceError InvalidListenKey() { return E(400, -1125, "This listenKey does not exist."); }
BinanceError BadParamCombination() {
  return E(400, -1128, "Combination of optional parameters invalid.");
}
BinanceError InvalidRecvWindow() { return E(400, -1131, "recvWindow must be less than 60000"); }
BinanceError InvalidParameter(std::string_view param, std::string_view why) {
  return E(400, -1130, StrCat("Invalid data sent for a parameter: '", param, "': ", why, "."));
}
BinanceError NewOrderRejected(std::string msg) { return E(400, -2010, std::move(msg)); }
BinanceError CancelRejected() { return E(400, -2011, "Unknown order sent."); }
BinanceError NoSuchOrder() { return E(400, -2013, "Order does not exist."); }
BinanceError BadApiKeyFormat() { return E(401, -2014, "API-key format invalid."); }
BinanceError RejectedApiKey() {
  return E(401, -2015, "Invalid API-key, IP, or permissions for action.");
}

}  // namespace binance_errors

net::HttpResponse ErrorResponse(const BinanceError& error) {
  return net::HttpResponse::Json(error.http_status, error.ToJson());
}

}  // namespace tradeplane::venue_sim
