// Public door of the engine. Signatures are fixed (helpers and tests code against them);
// the implementation is filled in by integration. See docs/ARCHITECTURE.md.
export {};
