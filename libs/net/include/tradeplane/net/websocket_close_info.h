// How a WebSocket connection ended, as the client and the server report it.
#ifndef TRADEPLANE_NET_WEBSOCKET_CLOSE_INFO_H_
#define TRADEPLANE_NET_WEBSOCKET_CLOSE_INFO_H_

#include <string>

namespace tradeplane::net {

struct WebSocketCloseInfo {
  // The RFC 6455 close code of the close frame (1000 normal, 1001 going away,
  // 1008 policy violation, 1009 too big, 1011 server error...), or 1006 when
  // the connection ended without one (dropped, reset, timed out).
  int code = 1006;
  std::string reason;  // the close frame's reason text, or what went wrong
};

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_WEBSOCKET_CLOSE_INFO_H_
