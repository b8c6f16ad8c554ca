// Raw node:http, the bench's baseline on Node: the scenarios answered by hand, with no fetch objects.
import { countData, listenRaw } from "./node-raw-answers.ts";

listenRaw(countData);
