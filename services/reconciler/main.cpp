// tradeplane-reconciler: compares the venue's orders, trades and positions
// with execution's journal, corrects through execution, and pauses trading
// through risk when a break needs a person.
#include "tradeplane/service/service_main.h"

#include "reconciler_service.h"

int main(int argc, char** argv) {
  return tradeplane::service::ServiceMain<tradeplane::reconciler::ReconcilerService>(
      argc, argv, tradeplane::ServiceId::kReconciler,
      "Compares the venue's open orders, trades and positions with execution's journal at "
      "execution's start, periodically and on demand; ingests missed fills, corrects statuses and "
      "cancels or adopts unknown venue orders through execution; publishes what needs a person "
      "on recon.break and asks risk to pause trading.",
      &tradeplane::reconciler::ApplyDefaults);
}
