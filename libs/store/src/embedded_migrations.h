// Private: the generated embedded_migrations.cpp includes this.
#ifndef TRADEPLANE_STORE_SRC_EMBEDDED_MIGRATIONS_H_
#define TRADEPLANE_STORE_SRC_EMBEDDED_MIGRATIONS_H_

#include <vector>

#include "tradeplane/store/database.h"

#endif  // TRADEPLANE_STORE_SRC_EMBEDDED_MIGRATIONS_H_
