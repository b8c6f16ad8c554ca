// The floor on Node: node:http with no fetch objects, answering the bench scenarios by hand.
import { countData, listenRaw } from "./node-raw-answers.ts";

listenRaw(countData);
