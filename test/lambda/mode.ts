// Whether the Lambda suites in this test file run with fastGlobals: aws-lambda-fast.test.ts sets it before
// it imports them (each test file runs in a process of its own), so the same cases run in both modes.
export const mode: { fastGlobals: boolean } = { fastGlobals: false };
