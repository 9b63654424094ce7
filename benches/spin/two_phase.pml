/* Lamport's TwoPhase (transaction_commit/TwoPhase.tla) in Promela, for comparing SPIN with Faultline on the
   same state space: one process whose every loop iteration is one TLA+ action (d_step), so the stored states are
   exactly the TLA+ states. RMS (number of resource managers), ALL_PREPARED and RM_ACTIONS (one RM_ACTIONS_FOR(r) per
   RM) are defined on the command line by benches/compare.sh. The invariant TCConsistent is asserted after every action. */
#define WORKING   0
#define PREPARED  1
#define COMMITTED 2
#define ABORTED   3
#define TM_INIT      0
#define TM_COMMITTED 1
#define TM_ABORTED   2

byte rm[RMS];
byte tm;
bit tm_prepared[RMS];
bit msg_prepared[RMS];
bit msg_commit;
bit msg_abort;

/* TCConsistent: no RM committed while another aborted (c, a, j are scratch locals, reset so states stay equal). */
inline check() {
  for (j : 0 .. RMS - 1) { if :: rm[j] == COMMITTED -> c = 1 :: rm[j] == ABORTED -> a = 1 :: else -> skip fi };
  assert(!(c && a));
  c = 0; a = 0; j = 0
}

#define RM_ACTIONS_FOR(r) \
  :: d_step { tm == TM_INIT && msg_prepared[r] -> tm_prepared[r] = 1 } \
  :: d_step { rm[r] == WORKING -> rm[r] = PREPARED; msg_prepared[r] = 1 } \
  :: d_step { rm[r] == WORKING -> rm[r] = ABORTED; check() } \
  :: d_step { msg_commit -> rm[r] = COMMITTED; check() } \
  :: d_step { msg_abort -> rm[r] = ABORTED; check() }

active proctype TwoPhase() {
  byte c = 0; byte a = 0; byte j = 0;
  do
  :: d_step { tm == TM_INIT && ALL_PREPARED -> tm = TM_COMMITTED; msg_commit = 1 }
  :: d_step { tm == TM_INIT -> tm = TM_ABORTED; msg_abort = 1 }
  RM_ACTIONS
  od
}
