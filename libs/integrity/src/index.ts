// The verifiable log (issue 6): filled in by the integrity work.
export {};
