-- A memory model fitted to each student, and forecasts that prove
-- themselves (issue 17), sqlite flavour; same tables and columns in
-- migrations/postgres/0012_memory_fits.sql.

-- Every fit of a student's FSRS parameters (kept: the history of what was
-- fitted and how it did). The log is split in time order: the first 80 %
-- of the long-term reviews fit, the last 20 % (held out) judge; the
-- figures are log loss and RMSE(bins) on the held-out reviews. outcome is
-- what the student's scheduler uses after this fit: 'fitted' (this fit's
-- parameters), 'previous' (the parameters fitted before, still better),
-- 'default' (FSRS's defaults did as well or better), 'too_few' (not
-- enough long-term reviews: nothing fitted), 'failed' (the optimizer
-- refused the log).
CREATE TABLE memory_fits (
    id                INTEGER PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fitted_at         INTEGER NOT NULL,
    n_answers         INTEGER NOT NULL,          -- answers in the log (a correction is not one)
    n_reviews         INTEGER NOT NULL,          -- of which long-term reviews (a later day than the card's previous answer)
    n_train           INTEGER NOT NULL,
    n_test            INTEGER NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('fitted', 'previous', 'default', 'too_few', 'failed')),
    parameters        TEXT,                      -- the 21 fitted numbers, comma-separated
    default_log_loss  REAL,
    default_rmse      REAL,
    fitted_log_loss   REAL,
    fitted_rmse       REAL,
    previous_log_loss REAL,                      -- the parameters in use before, when fitted ones
    previous_rmse     REAL
);
CREATE INDEX memory_fits_user ON memory_fits (user_id, fitted_at);

-- The fitted parameters a student's scheduler uses (no row: the defaults).
CREATE TABLE user_parameters (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    parameters TEXT NOT NULL,
    fit_id     INTEGER NOT NULL REFERENCES memory_fits (id) ON DELETE CASCADE,
    adopted_at INTEGER NOT NULL
);

-- At most one fit per student per UTC day, across processes: the process
-- whose INSERT … ON CONFLICT DO NOTHING stores the row fits.
CREATE TABLE memory_fit_claims (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        INTEGER NOT NULL,                 -- days since 1970-01-01, UTC
    claimed_at INTEGER NOT NULL,
    claimed_by TEXT NOT NULL,                    -- the claiming process (random per process)
    PRIMARY KEY (user_id, day)
);

-- Each exam-readiness forecast /exam show gives, one per student, server,
-- exam and day (the day's last), with the per-card predictions it was
-- made of, so that after the exam it can be compared with the recall
-- observed in the week after.
CREATE TABLE forecasts (
    id        INTEGER PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    guild_id  TEXT NOT NULL,
    deck_id   TEXT,                              -- NULL = every deck
    exam_at   INTEGER NOT NULL,
    made_at   INTEGER NOT NULL,
    made_day  INTEGER NOT NULL,                  -- the student's day (schedule::day_index)
    predicted REAL NOT NULL,                     -- share of the deck recalled on exam day
    n_cards   INTEGER NOT NULL,
    n_unseen  INTEGER NOT NULL,
    fitted    INTEGER NOT NULL,                  -- 1: made with the student's fitted parameters
    decay     REAL NOT NULL,              -- the forgetting curve's decay (w20) of those parameters
    cards     TEXT NOT NULL,                     -- JSON: each seen card's memory and exam-day recall
    UNIQUE (user_id, guild_id, exam_at, made_day)
);
CREATE INDEX forecasts_exam ON forecasts (exam_at);
