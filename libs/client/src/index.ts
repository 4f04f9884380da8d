// The typed client for emitting systems (issue 6).
export {};
