-- Forecasting (issue 23): each tenant's win-probability model; see SQLite's 0029.
CREATE TABLE forecast_models (
    tenant_id      uuid NOT NULL PRIMARY KEY,
    model          bytea NOT NULL,
    trained_at     timestamptz NOT NULL,
    closed_deals   integer NOT NULL,
    holdout        integer NOT NULL,
    model_brier    double precision NOT NULL,
    baseline_brier double precision NOT NULL,
    features       text COLLATE "C" NOT NULL,
    feature_means  text COLLATE "C" NOT NULL
);
ALTER TABLE forecast_models ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON forecast_models USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON forecast_models TO revops_tenant;
