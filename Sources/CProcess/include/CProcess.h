#ifndef ENGRAM_CPROCESS_H
#define ENGRAM_CPROCESS_H

/// Asks the kernel to send `signal` to this process when its parent dies (Linux prctl
/// PR_SET_PDEATHSIG; prctl is variadic, so Swift cannot call it directly). Returns 0 on
/// success, -1 where unsupported or on failure.
int engram_set_parent_death_signal(int signal);

#endif
