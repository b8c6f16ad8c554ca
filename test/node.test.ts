import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";

// node:http on the two Node.js lines the package supports.
conformance(targets.node22);
conformance(targets.node24);
