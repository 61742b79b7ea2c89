-- Forecasting (issue 23): each tenant's win-probability model, never shared. model is the trained model as the server
-- serialized it; trained_at, the closed deals it was trained on (closed_deals, for knowing when to train again), how it
-- scored against the stage probabilities on the latest held-out deals (Brier), and its features with their training means
-- (JSON arrays in the same order). One row per tenant, replaced by each training. PostgreSQL's 0029 is the same.
CREATE TABLE forecast_models (
    tenant_id      TEXT NOT NULL PRIMARY KEY,
    model          BLOB NOT NULL,
    trained_at     TEXT NOT NULL,
    closed_deals   INTEGER NOT NULL,
    holdout        INTEGER NOT NULL,
    model_brier    REAL NOT NULL,
    baseline_brier REAL NOT NULL,
    features       TEXT NOT NULL,
    feature_means  TEXT NOT NULL
);
