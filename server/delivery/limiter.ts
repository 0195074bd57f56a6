// At most N destination probes at once per user and in total: each probe opens sockets to
// hosts DNS names, so one user (or many) must not turn the server into a scanner.

export interface ProbeLimiter {
  /** A slot for `user`, or the "busy" text to answer with. `release` is idempotent. */
  acquire(user: string): { release: () => void } | { busy: string };
  /** Probes running now, for tests and metrics. */
  running(): number;
}

/** A limiter allowing `perUser` probes per user and `total` across all users (defaults 2/4). */
export function createProbeLimiter(perUser = 2, total = 4): ProbeLimiter {
  const byUser = new Map<string, number>();
  let count = 0;
  return {
    acquire(user) {
      const mine = byUser.get(user) ?? 0;
      if (mine >= perUser)
        return { busy: `You already have ${mine} destination tests running; wait for one to end.` };
      if (count >= total)
        return { busy: `The server is running ${count} destination tests; try again in a moment.` };
      byUser.set(user, mine + 1);
      count += 1;
      let isReleased = false;
      return {
        release() {
          if (isReleased) return;
          isReleased = true;
          count -= 1;
          const left = (byUser.get(user) ?? 1) - 1;
          if (left > 0) byUser.set(user, left);
          else byUser.delete(user);
        },
      };
    },
    running: () => count,
  };
}
