#!/usr/bin/env python3
"""Writes the generated part of the fuzz seed corpus (fuzz/corpus/).

Run once from the repository root when a format changes; the output is
checked in. Needs protoc and the Python protobuf runtime (Debian:
protobuf-compiler, python3-protobuf; run it with /usr/bin/python3).

  envelope/           valid bus envelopes (encoded with the protobuf runtime,
                      independently of libs/bus) and a few broken ones
  lobster/, binance/  slices of the real recordings in data/
  config/             the compose configs in deploy/
  venue_sim_request/  signed and unsigned REST requests (query line, body)
  fixed_point/        decimal strings and binary raw values
"""
import hashlib
import hmac
import importlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
# Binance's documented example secret (also in venue_sim_request_fuzzer.cpp).
HMAC_SECRET = b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read_lines(path, n, skip=0):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    return lines[skip:skip + n]


def compile_protos(out_dir):
    protos = ["tradeplane/common/v1/options.proto", "tradeplane/common/v1/common.proto",
              "tradeplane/bus/v1/envelope.proto", "tradeplane/marketdata/v1/marketdata.proto",
              "tradeplane/orders/v1/orders.proto"]
    subprocess.run(["protoc", "-I", os.path.join(ROOT, "proto"), "--python_out", out_dir] + protos,
                   check=True)
    sys.path.insert(0, out_dir)


def envelopes():
    tmp = tempfile.mkdtemp()
    try:
        compile_protos(tmp)
        env = importlib.import_module("tradeplane.bus.v1.envelope_pb2")
        md = importlib.import_module("tradeplane.marketdata.v1.marketdata_pb2")
        orders = importlib.import_module("tradeplane.orders.v1.orders_pb2")
        common = importlib.import_module("tradeplane.common.v1.common_pb2")

        def envelope(payload, topic="", sequence=0, request_id="", reply_code=None):
            e = env.Envelope()
            h = e.header
            h.message_type = payload.DESCRIPTOR.full_name
            h.schema_version = 1
            h.source_service = "market-data"
            h.source_instance = 0
            h.incarnation = 0x0190F00DCAFE0001
            h.sequence = sequence
            h.event_time_ns = 1633998512063356900
            h.publish_time_ns = 1633998512063400000
            h.trace.trace_id = bytes(range(1, 17))
            h.trace.span_id = bytes(range(1, 9))
            h.trace.trace_flags = 1
            h.topic = topic
            h.request_id = request_id
            if reply_code is not None:
                h.reply_status.code = reply_code
                h.reply_status.message = "refused: price collar"
            e.payload = payload.SerializeToString()
            return e.SerializeToString()

        nkn = common.InstrumentId(venue=common.VENUE_BINANCE, symbol="NKNUSDT")
        quote = md.Quote(instrument=nkn, bid_price=431870000, bid_qty=1234500000000,
                         ask_price=431990000, ask_qty=98700000000,
                         exchange_time_ns=1633998512063000000, venue_update_id=499869753)
        trade = md.Trade(instrument=common.InstrumentId(venue=common.VENUE_NASDAQ, symbol="AMZN"),
                         price=3355210000000, qty=45725000000000, trade_id="cross-1",
                         exchange_time_ns=1618234200000000000, participant="UBSS", auction=True)
        book = md.BookSnapshot(instrument=nkn, book_sequence=7, venue_update_id=499869752)
        for i in range(3):
            book.bids.add(price=431870000 - i * 10000, qty=(i + 1) * 1000000000)
            book.asks.add(price=431990000 + i * 10000, qty=(i + 2) * 1000000000)
        new_order = orders.NewOrder(client_order_id="tp-0190f00d-0001", strategy_id="trend-1",
                                    instrument=nkn, side=common.SIDE_BUY, qty=100000000000,
                                    price=431900000, intent_id="intent-1")
        fill = orders.Fill(fill_id="BINANCE:NKNUSDT:12345", client_order_id="tp-0190f00d-0001",
                           instrument=nkn, side=common.SIDE_BUY, price=431900000,
                           qty=100000000000, fee=43190000, fee_asset="USDT",
                           exchange_time_ns=1633998513000000000)
        heartbeat = env.Heartbeat(service="risk", time_ns=1633998512063356900, state="ACTIVE")

        write("envelope", "quote", envelope(quote, "md.quote.BINANCE.NKNUSDT", 1))
        write("envelope", "trade", envelope(trade, "md.trade.NASDAQ.AMZN", 2))
        write("envelope", "book_snapshot", envelope(book, "md.book.BINANCE.NKNUSDT", 3))
        write("envelope", "new_order_request", envelope(new_order, request_id="req-1"))
        write("envelope", "fill", envelope(fill, "exec.fill.BINANCE.NKNUSDT", 4))
        write("envelope", "error_reply", envelope(heartbeat, request_id="req-1", reply_code=9))
        # Refused ones: schema version 2, no message type, truncated.
        e = env.Envelope()
        e.ParseFromString(envelope(heartbeat, "hb.risk", 5))
        e.header.schema_version = 2
        write("envelope", "schema_version_2", e.SerializeToString())
        e.header.schema_version = 1
        e.header.message_type = ""
        write("envelope", "no_message_type", e.SerializeToString())
        write("envelope", "truncated", envelope(quote, "md.quote.BINANCE.NKNUSDT", 1)[:-5])
    finally:
        shutil.rmtree(tmp)


def market_data():
    aapl = "data/lobster/AAPL_2012-06-21_34200000_57600000_"
    amzn = "data/lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv"
    write("lobster", "aapl_message_head", "\n".join(read_lines(aapl + "message_10.csv", 40)) + "\n")
    write("lobster", "aapl_orderbook_head", "\n".join(read_lines(aapl + "orderbook_10.csv", 8)) + "\n")
    write("lobster", "amzn_message_head", "\n".join(read_lines(amzn, 40)) + "\n")
    # Every event type in the AMZN file (the cross trade, hidden executions...).
    seen, rows = set(), []
    for line in read_lines(amzn, 10**6):
        fields = line.split(",")
        if len(fields) >= 2 and fields[1] not in seen:
            seen.add(fields[1])
            rows.append(line)
    write("lobster", "amzn_every_type", "\n".join(rows) + "\n")
    write("lobster", "file_name",
          "AAPL_2012-06-21_34200000_57600000_orderbook_10.csv\n" +
          "\n".join(read_lines(aapl + "orderbook_10.csv", 2)))

    for market, ws, rest in (("spot", "data/binance/spot-2021-10-12.ws.log",
                              "data/binance/spot-2021-10-12.rest.log"),
                             ("futures", "data/binance/usdm-futures-2021-07-22.ws.log",
                              "data/binance/usdm-futures-2021-07-22.rest.log")):
        lines = read_lines(ws, 10**6)
        write("binance", market + "_ws_head", "\n".join(lines[:12]) + "\n")
        # One frame of each stream kind present.
        kinds, picked = set(), []
        for line in lines[1:]:
            for kind in ("depthUpdate", "bookTicker", "aggTrade", "kline", '"e":"trade"'):
                if kind in line and kind not in kinds:
                    kinds.add(kind)
                    picked.append(line)
        write("binance", market + "_ws_each_kind", "\n".join(picked) + "\n")
        # A depth snapshot cut to five levels a side (the real ones are 1000).
        url_and_time, body = read_lines(rest, 1)[0].split(": ", 1)
        snapshot = json.loads(body)
        snapshot["bids"] = snapshot["bids"][:5]
        snapshot["asks"] = snapshot["asks"][:5]
        write("binance", market + "_rest_snapshot",
              url_and_time + ": " + json.dumps(snapshot, separators=(",", ":")) + "\n")


def configs():
    for name in ("risk", "market-data", "execution", "signer", "venue-sim", "sentinel",
                 "reconciler", "signal"):
        shutil.copy(os.path.join(ROOT, "deploy", "compose", name + ".yaml"),
                    os.path.join(CORPUS, "config", name + ".yaml"))
    write("config", "bad_range.yaml", "book_depth: 100000\nunknown_key: 1\n")


def venue_sim_requests():
    def signed(query, body=""):
        sig = hmac.new(HMAC_SECRET, (query + body).encode(), hashlib.sha256).hexdigest()
        if body:
            return query + "\n" + body + "&signature=" + sig
        return query + "&signature=" + sig + "\n"

    order = ("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
             "&recvWindow=5000&timestamp=1499827319559")
    write("venue_sim_request", "signed_query", signed(order))
    write("venue_sim_request", "signed_body", signed("", order))
    write("venue_sim_request", "signed_mixed",
          signed("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
                 "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"))
    write("venue_sim_request", "percent_encoded",
          "symbol=NKN%55SDT&newClientOrderId=tp%2D1+x&quantity=10.5\n")
    write("venue_sim_request", "duplicate", "symbol=A&symbol=B\n")
    write("venue_sim_request", "bad_percent", "symbol=%4\nsignature=zz")
    write("venue_sim_request", "ed25519_signature",
          "symbol=BTCUSDT&timestamp=1&signature=" + "A" * 86 + "%3D%3D\n")


def fixed_point():
    for i, text in enumerate(["0.00000637", "-3355.21", "9223372036.854775807", "+0.5",
                              "12.340000000000", "1e5", "0.0000000001", "-.5", "10"]):
        write("fixed_point", "decimal_%d" % i, text)
    write("fixed_point", "binary_raw",
          struct.pack("<qqB", 3355210000000, -1234567890123, 4))


def main():
    for target in ("envelope", "lobster", "binance", "config", "venue_sim_request", "fixed_point"):
        shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)
        os.makedirs(os.path.join(CORPUS, target))
    envelopes()
    market_data()
    configs()
    venue_sim_requests()
    fixed_point()


if __name__ == "__main__":
    main()
