// Private: the raw ZeroMQ socket behind a Subscriber or ReplyServer, for the
// Poller. Defined beside each class.
#ifndef TRADEPLANE_BUS_SRC_SOCKET_HANDLES_H_
#define TRADEPLANE_BUS_SRC_SOCKET_HANDLES_H_

namespace tradeplane::bus {

class Subscriber;
class ReplyServer;

void* SubscriberHandle(Subscriber& s);
void* ReplyServerHandle(ReplyServer& s);

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_SRC_SOCKET_HANDLES_H_
