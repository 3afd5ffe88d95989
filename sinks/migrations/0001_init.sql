-- finstream sink schema, version 1: categorized transactions (latest version
-- per transaction), budgets (every version as history, plus the latest as
-- current state) and budget alerts. Money is bigint minor units.

CREATE TABLE transactions (
    txn_id        text PRIMARY KEY,
    user_id       text             NOT NULL,
    account_id    text             NOT NULL,
    direction     text             NOT NULL,
    type          text             NOT NULL,
    status        text             NOT NULL,
    amount_minor  bigint           NOT NULL,
    spend_minor   bigint           NOT NULL,
    currency      text             NOT NULL,
    merchant_name text             NOT NULL,
    merchant_id   text             NOT NULL,
    mcc           integer          NOT NULL,
    channel       text             NOT NULL,
    budget_id     text             NOT NULL,
    category      text             NOT NULL,
    confidence    double precision NOT NULL,
    source        text             NOT NULL,
    deleted       boolean          NOT NULL,
    posted_at     timestamptz      NOT NULL,
    lsn           bigint           NOT NULL,
    version       bigint           NOT NULL
);
-- GET /v1/me/transactions: keyset pagination newest first.
CREATE INDEX transactions_user_posted ON transactions (user_id, posted_at DESC, txn_id DESC);

-- Every version of every budget (personal and shared), with attribution:
-- who (user_id), which transaction, merchant and the signed change of spend.
CREATE TABLE budget_history (
    budget_id            text        NOT NULL,
    version              bigint      NOT NULL,
    kind                 text        NOT NULL,
    name                 text        NOT NULL,
    user_id              text        NOT NULL,
    category             text        NOT NULL,
    period               text        NOT NULL,
    period_key           text        NOT NULL,
    period_start         timestamptz NOT NULL,
    period_end           timestamptz NOT NULL,
    currency             text        NOT NULL,
    limit_minor          bigint      NOT NULL,
    spent_minor          bigint      NOT NULL,
    remaining_minor      bigint      NOT NULL,
    used_bp              bigint      NOT NULL,
    thresholds_bp        bigint[]    NOT NULL,
    crossed_bp           bigint[]    NOT NULL,
    threshold_crossed_bp bigint[]    NOT NULL,
    alert                boolean     NOT NULL,
    participants         jsonb       NOT NULL,
    refused              boolean     NOT NULL,
    refused_reason       text        NOT NULL,
    txn_id               text        NOT NULL,
    merchant             text        NOT NULL,
    amount_minor         bigint      NOT NULL,
    event_time           timestamptz NOT NULL,
    PRIMARY KEY (budget_id, version)
);
-- GET /v1/shared-budgets/{id}/transactions: the transactions a budget counted.
CREATE INDEX budget_history_txn ON budget_history (budget_id, txn_id) WHERE txn_id <> '';

-- The latest version of every budget.
-- (LIKE copies the columns with NOT NULL, not the primary key or indexes.)
CREATE TABLE budgets (LIKE budget_history, PRIMARY KEY (budget_id));

CREATE TABLE budget_alerts (
    alert_id        text PRIMARY KEY,
    user_id         text        NOT NULL,
    budget_id       text        NOT NULL,
    category        text        NOT NULL,
    period_key      text        NOT NULL,
    threshold_bp    bigint      NOT NULL,
    used_bp         bigint      NOT NULL,
    spent_minor     bigint      NOT NULL,
    limit_minor     bigint      NOT NULL,
    remaining_minor bigint      NOT NULL,
    currency        text        NOT NULL,
    days_left       bigint      NOT NULL,
    txn_id          text        NOT NULL,
    merchant        text        NOT NULL,
    text            text        NOT NULL,
    event_time      timestamptz NOT NULL
);
CREATE INDEX budget_alerts_user ON budget_alerts (user_id, event_time DESC);
