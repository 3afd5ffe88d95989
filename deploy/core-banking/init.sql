-- Core banking's tables as finstream reads them (DESIGN.md "Input: CDC
-- topics"), for the compose stack's core-banking-db (wal_level=logical).
-- Debezium's Postgres connector (deploy/connect/core-banking-postgres.json)
-- streams them to core.public.accounts and core.public.transactions.

CREATE TABLE accounts (
    id         text PRIMARY KEY,
    user_id    text NOT NULL,
    type       text NOT NULL CHECK (type IN ('CHECKING', 'SAVINGS', 'GOAL')),
    currency   char(3) NOT NULL,
    status     text NOT NULL,
    goal_id    text,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE transactions (
    id            text PRIMARY KEY,
    account_id    text NOT NULL REFERENCES accounts (id),
    user_id       text,          -- may be null: finstream resolves it from accounts
    direction     text NOT NULL CHECK (direction IN ('DEBIT', 'CREDIT')),
    type          text NOT NULL,
    status        text NOT NULL CHECK (status IN ('PENDING', 'POSTED', 'REVERSED', 'FAILED')),
    amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
    currency      char(3) NOT NULL,
    merchant_name text,
    merchant_id   text,
    mcc           integer,
    channel       text,
    budget_id     text,
    posted_at     timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- REPLICA IDENTITY FULL: an update or delete carries the whole old row in
-- Debezium's "before", so finstream moves totals by the difference (a status
-- change to REVERSED, an amount change) without keeping the old row itself.
ALTER TABLE accounts REPLICA IDENTITY FULL;
ALTER TABLE transactions REPLICA IDENTITY FULL;

-- The connector's user: replication, and read access for the snapshot.
CREATE ROLE debezium WITH LOGIN REPLICATION PASSWORD 'debezium';
GRANT SELECT ON accounts, transactions TO debezium;

-- The publication the connector reads (publication.autocreate.mode=disabled:
-- the connector's user need not own the tables).
CREATE PUBLICATION finstream_cdc FOR TABLE accounts, transactions;
