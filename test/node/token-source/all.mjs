// Every Node test of the token source's decisions in one process (`node test/node/token-source/
// all.mjs`): what the mutation run executes for each mutant, where a process per file would cost
// more than the tests themselves.
import './bugs-that-passed-every-test.test.mjs';
import './docs-match-code.test.mjs';
import './expiry-and-retry.test.mjs';
import './markers.test.mjs';
import './transition.table.test.mjs';
import './transition.model.test.mjs';
