// Next's ambient types without next-env.d.ts, which `next build` regenerates and points into .next/:
// `npm run typecheck` must work on a fresh checkout, before any build.
/// <reference types="next" />
