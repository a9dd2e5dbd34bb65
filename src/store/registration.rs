//! Which slash-command definitions were last registered with Discord
//! (`command_registrations`): a fingerprint per scope, so that restarting
//! many shard processes registers them once, and only when they changed.

use super::{Result, Store};
use crate::core::schedule::Millis;

/// Stores `fingerprint` for `scope` unless it is stored already; the one
/// write that stores it claims the registration.
const SQL_CLAIM: &str = "INSERT INTO command_registrations (scope, fingerprint, registered_at) \
     VALUES ($1, $2, $3) ON CONFLICT (scope) DO UPDATE SET \
     fingerprint = excluded.fingerprint, registered_at = excluded.registered_at \
     WHERE command_registrations.fingerprint <> excluded.fingerprint";

impl Store {
    /// Whether the commands of `fingerprint` must be registered in `scope`:
    /// true once, for the first caller after they changed (the fingerprint
    /// is then stored); false while they are the ones registered last.
    pub async fn claim_command_registration(
        &self,
        scope: &str,
        fingerprint: &str,
        now: Millis,
    ) -> Result<bool> {
        // A retry after a COMMIT whose reply was lost finds the
        // fingerprint stored: it is this claim's when it has this claim's
        // instant (else the commands would never be registered).
        let mine = "SELECT COUNT(*) FROM command_registrations \
                    WHERE scope = $1 AND fingerprint = $2 AND registered_at = $3";
        claim_once!(
            self,
            "claim command registration",
            sqlx::query(SQL_CLAIM)
                .bind(scope)
                .bind(fingerprint)
                .bind(now),
            sqlx::query_scalar::<_, i64>(mine)
                .bind(scope)
                .bind(fingerprint)
                .bind(now)
        )
    }

    /// Forgets what was registered in `scope` (a registration that failed
    /// after its claim), so the next start registers again.
    pub async fn forget_command_registration(&self, scope: &str) -> Result<()> {
        write_rows!(
            self,
            "forget command registration",
            "DELETE FROM command_registrations WHERE scope = $1",
            scope
        )
        .map(|_| ())
    }
}
