-- The signer's durable facts (services/signer, libs/store signer_store.cpp):
--   signer_audit       every request it answered, signed or refused, as a
--                      hash chain (the hashes are libs/signing's audit_chain)
--   signer_requests    every signature, under its request id: a request id is
--                      signed at most once, and a retry gets this response
--   signer_evm_nonces  the next nonce per EVM account (key version) and chain
-- A signature, its nonce and its audit record are written in one transaction,
-- so none of them exists without the others.

CREATE TABLE signer_audit (
  seq             bigint PRIMARY KEY CHECK (seq > 0),
  time_ns         bigint NOT NULL,
  caller          text NOT NULL,
  request_id      text NOT NULL,
  key_id          text NOT NULL,
  key_version     bigint NOT NULL CHECK (key_version >= 0),
  request_digest  bytea NOT NULL,
  signed          boolean NOT NULL,
  refusal         integer NOT NULL,  -- tradeplane.signer.v1.SignRefusal
  reason          text NOT NULL,
  -- Two records can never link to the same predecessor: the chain cannot fork
  -- even if two writers ever got past the writer lock.
  prev_hash       bytea NOT NULL UNIQUE CHECK (length(prev_hash) = 32),
  hash            bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signer_audit_request_id ON signer_audit (request_id);

CREATE FUNCTION signer_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'signer_audit is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER signer_audit_no_update BEFORE UPDATE OR DELETE ON signer_audit
  FOR EACH ROW EXECUTE FUNCTION signer_audit_append_only();

CREATE TABLE signer_requests (
  -- The unique constraint that makes a request id signable once (in the
  -- manner of web3signer's slashing protection database).
  request_id      text PRIMARY KEY,
  request_digest  bytea NOT NULL CHECK (length(request_digest) = 32),
  response        bytea NOT NULL,  -- the SignResponse as answered (protobuf)
  caller          text NOT NULL,
  key_id          text NOT NULL,
  key_version     bigint NOT NULL,
  audit_seq       bigint NOT NULL UNIQUE REFERENCES signer_audit (seq),
  -- EVM transactions: the account ("key_id@version"), chain and nonce.
  evm_account     text,
  evm_chain_id    numeric(20, 0),
  evm_nonce       numeric(20, 0),
  -- true when the signer chose the nonce; false when the caller did (a
  -- replacement or a cancel reuses a nonce on purpose).
  nonce_allocated boolean NOT NULL DEFAULT false,
  signed_at       timestamptz NOT NULL DEFAULT now()
);
-- A nonce the signer allocated is never allocated again.
CREATE UNIQUE INDEX signer_requests_allocated_nonce
  ON signer_requests (evm_account, evm_chain_id, evm_nonce) WHERE nonce_allocated;

CREATE TABLE signer_evm_nonces (
  account     text NOT NULL,            -- "key_id@version"
  chain_id    numeric(20, 0) NOT NULL,
  -- The next nonce to allocate; 2^64 once nonce 2^64 - 1 was used.
  next_nonce  numeric(20, 0) NOT NULL CHECK (next_nonce >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account, chain_id)
);
