package io.tern.broker.hook;

/** Why a session ended, as {@link LifecycleListener#onSessionEnded} reports it. */
public enum SessionEndReason {
  /** Its connection closed and it was not to outlive it (clean session, or Session Expiry 0). */
  CONNECTION_CLOSED,
  /** Its Session Expiry Interval passed without a new connection. */
  EXPIRED,
  /** A new connection with the same client id asked for a clean start. */
  CLEAN_START,
  /** The host application removed it through the admin API. */
  REMOVED
}
