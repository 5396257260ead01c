// A bus client of a benchmark's signer, as execution connects to it: CURVE
// with an allow-listed key pair, a 10 s timeout and no retries (a benchmark
// wants the first failure, not a retried request).
#ifndef TRADEPLANE_BENCH_SIGNER_CLIENT_H_
#define TRADEPLANE_BENCH_SIGNER_CLIENT_H_

#include <memory>
#include <string>

#include "tradeplane/bench/signer_process.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/bus/request_client.h"

#include "absl/status/statusor.h"

namespace tradeplane::bench {

// Writes `client_key` to `key_file` (the client config names a file) and
// connects to `signer`.
absl::StatusOr<std::unique_ptr<bus::RequestClient>> ConnectSignerClient(
    bus::BusContext& context, const SignerProcess& signer, const bus::CurveKeyPair& client_key,
    const std::string& key_file);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_SIGNER_CLIENT_H_
