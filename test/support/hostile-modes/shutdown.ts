import type { HostileMode } from '../hostile-upstream.js';

export interface HeldRequests {
  mode: HostileMode;
  /** Resolves when the first matching request has arrived (and is being held). */
  arrived: Promise<void>;
  /** Lets every held request (and later ones) go on to the sandbox. */
  release(): void;
}

/** Holds requests whose path matches until the test releases them: "a call in flight" for as long as it takes. */
export function holdRequests(path: RegExp): HeldRequests {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const mode: HostileMode = async (ctx) => {
    if (!path.test(ctx.request.url)) return false;
    arrive();
    await released;
    ctx.reply(await ctx.forward());
    return true;
  };
  return { mode, arrived, release };
}
