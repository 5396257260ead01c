// Binance's REST error answers: an HTTP status plus the JSON body
// {"code":-1022,"msg":"Signature for this request is not valid."}, with the
// codes and messages of Binance's spot API documentation ("Error codes for
// Binance"), so that a client written against Binance classifies our errors
// as it would Binance's.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_BINANCE_ERROR_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_BINANCE_ERROR_H_

#include <string>
#include <string_view>

#include "tradeplane/net/http_message.h"

namespace tradeplane::venue_sim {

struct BinanceError {
  int http_status = 400;
  int code = -1000;
  std::string msg;
  // Extra JSON members after code and msg (cancelReplace's "data"), or empty.
  std::string extra_json;

  std::string ToJson() const;
};

namespace binance_errors {

BinanceError Unknown(std::string msg);    // -1000, 500
BinanceError Disconnected();              // -1001, 503 (injected 5xx)
BinanceError TooManyRequests(int limit);  // -1003, 429
BinanceError BackendTimeout();            // -1007, 503
BinanceError UnknownEndpoint(std::string_view method, std::string_view path);  // -1000, 404
BinanceError FilterFailure(std::string_view filter);                           // -1013
BinanceError UnsupportedCombination(std::string msg);                          // -1014
BinanceError TimestampAhead();                                                 // -1021
BinanceError TimestampOutsideRecvWindow();                                     // -1021
BinanceError BadSignature();                                                   // -1022
BinanceError IllegalChars(std::string_view param, std::string_view legal);     // -1100
BinanceError IllegalCharsAnywhere();                                           // -1100
BinanceError TooManyParameters();                                              // -1101
BinanceError DuplicateParameter(std::string_view param);                       // -1101
BinanceError MandatoryMissing(std::string_view param);                         // -1102
BinanceError UnreadParameters(int read, int sent);                             // -1104
BinanceError ParamEmpty(std::string_view param);                               // -1105
BinanceError ParamNotRequired(std::string_view param);                         // -1106
BinanceError BadPrecision();                                                   // -1111
BinanceError InvalidTimeInForce();                                             // -1115
BinanceError InvalidOrderType();                                               // -1116
BinanceError InvalidSide();                                                    // -1117
BinanceError InvalidSymbol();                                                  // -1121
BinanceError InvalidListenKey();                                               // -1125
BinanceError BadParamCombination();                                            // -1128
BinanceError InvalidRecvWindow();                                              // -1131
BinanceError InvalidParameter(std::string_view param, std::string_view why);   // -1130
BinanceError NewOrderRejected(std::string msg);                                // -2010
BinanceError CancelRejected();   // -2011 Unknown order sent.
BinanceError NoSuchOrder();      // -2013
BinanceError BadApiKeyFormat();  // -2014, 401
BinanceError RejectedApiKey();   // -2015, 401

}  // namespace binance_errors

// The response for an error, with Binance's JSON content type.
net::HttpResponse ErrorResponse(const BinanceError& error);

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_BINANCE_ERROR_H_
